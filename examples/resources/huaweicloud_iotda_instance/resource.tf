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

  # Specification changes run in this window (UTC); 24:00 is the end of the day.
  operate_window = {
    start_time = "22:00"
    end_time   = "24:00"
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
