variable "admin_password" {
  type      = string
  sensitive = true
  # Only write-only arguments take it: Terraform keeps it out of plan files too (Terraform 1.10+).
  ephemeral = true
}

resource "huaweicloud_clouddc_instance" "example" {
  name     = "bm-web-01"
  image_id = "5d1a9d5c-0f1b-4a61-9bd5-0c3b5e1e6c2a"
  vpc_id   = "3b8f4c8e-6a2d-4f0b-9d51-2c7e1a9b0f11"
  # Write-only (Terraform 1.11+): never stored in the plan or the state; raise the version to change it.
  password_wo         = var.admin_password
  password_wo_version = 1
  description         = "Web tier bare-metal server"

  # The first interface is the primary one. Its address is fixed here;
  # the second one gets a free address of its subnet.
  network_interfaces {
    subnet_id    = "7e0d5c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6"
    ipv4_address = "192.168.0.10"
  }

  network_interfaces {
    subnet_id = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
  }

  placement {
    server_id = "c1f2e3d4-b5a6-4789-8a0b-1c2d3e4f5a6b"
  }

  metadata = {
    env   = "prod"
    owner = "platform"
  }

  timeouts {
    create = "90m"
  }
}

output "clouddc_secondary_address" {
  value = huaweicloud_clouddc_instance.example.network_interfaces[1].ipv4_address
}

output "clouddc_status" {
  value = huaweicloud_clouddc_instance.example.status
}
