resource "huaweicloud_iotda_instance" "example" {
  name          = "tf-iotda-example"
  instance_type = "standard"
  description   = "IoTDA instance managed by Terraform"

  flavor {
    type = "iotda.standard.s1"
    size = 1
  }

  charge_info {
    charge_mode = "postPaid"
  }

  tags = {
    env   = "dev"
    owner = "platform"
  }

  timeouts {
    create = "20m"
  }
}

output "iotda_status" {
  value = huaweicloud_iotda_instance.example.status
}

output "iotda_mqtts_domain" {
  value = one([for a in huaweicloud_iotda_instance.example.access_infos : a.domain_name if a.type == "DEVICE_MQTT"])
}
