variable "kafka_user_password" {
  type      = string
  sensitive = true
  # Only write-only arguments take it: Terraform keeps it out of plan files too (Terraform 1.10+).
  ephemeral = true
}

# A SASL user of the instance (its ssl_enable is true): clients authenticate as it.
resource "huaweicloud_dms_kafka_user" "example" {
  instance_id = huaweicloud_dms_kafka_instance.example.id
  name        = "orders-service"
  # Write-only (Terraform 1.11+): never stored in the plan or the state; raise the version to reset it.
  password_wo         = var.kafka_user_password
  password_wo_version = 1
  description         = "The order service's producer"
}

output "kafka_user_id" {
  value = huaweicloud_dms_kafka_user.example.id
}
