variable "kafka_password" {
  type      = string
  sensitive = true
  # Only write-only arguments take it: Terraform keeps it out of plan files too (Terraform 1.10+).
  ephemeral = true
}

variable "kafka_manager_password" {
  type      = string
  sensitive = true
  # Only write-only arguments take it: Terraform keeps it out of plan files too (Terraform 1.10+).
  ephemeral = true
}

# The region's zones; an instance takes their IDs.
data "huaweicloud_dms_kafka_availability_zones" "all" {}

locals {
  kafka_zone_ids = [for z in data.huaweicloud_dms_kafka_availability_zones.all.availability_zones : z.id if !z.sold_out]
}

# Created through POST /v2/{project_id}/instances: no broker_num, sized by specification and its product_id.
resource "huaweicloud_dms_kafka_instance" "example" {
  name              = "tf-kafka-example"
  description       = "Kafka instance managed by Terraform"
  engine            = "kafka"
  engine_version    = "2.7"
  specification     = "100MB"
  storage_space     = 600
  storage_spec_code = "dms.physical.storage.ultra"
  product_id        = "00300-30308-0--0"

  vpc_id            = "23921d2a-1f2c-4b8e-9d8b-5f2fa5327a48"
  subnet_id         = "37bb12c9-5d1e-4c6a-8f3e-ae8f7d336ab6"
  security_group_id = "2e888928-7a4b-4f55-b3c2-e36c6520d473"
  # Zone IDs, not zone codes such as cn-north-4a: the first three zones that are not sold out.
  available_zones = slice(local.kafka_zone_ids, 0, 3)

  ssl_enable  = true
  access_user = "kafka-user"
  # Write-only (Terraform 1.11+): sent to the API, never stored in the plan or the state. Raise the version
  # to send a new password.
  password_wo         = var.kafka_password
  password_wo_version = 1

  kafka_manager_user                = "kafka-admin"
  kafka_manager_password_wo         = var.kafka_manager_password
  kafka_manager_password_wo_version = 1

  maintain_begin    = "22:00"
  maintain_end      = "02:00"
  retention_policy  = "time_base"
  enable_auto_topic = true

  tags = {
    env   = "dev"
    owner = "platform"
  }

  timeouts {
    create = "60m"
  }
}

output "kafka_bootstrap" {
  value = join(",", [for ip in split(",", huaweicloud_dms_kafka_instance.example.connect_address) : "${ip}:${huaweicloud_dms_kafka_instance.example.port}"])
}
