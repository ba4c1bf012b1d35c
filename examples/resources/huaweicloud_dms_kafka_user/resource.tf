variable "kafka_user_password" {
  type      = string
  sensitive = true
}

# A SASL user of the instance (its ssl_enable is true): clients authenticate as it.
resource "huaweicloud_dms_kafka_user" "example" {
  instance_id = huaweicloud_dms_kafka_instance.example.id
  name        = "orders-service"
  password    = var.kafka_user_password
  description = "The order service's producer"
}

output "kafka_user_id" {
  value = huaweicloud_dms_kafka_user.example.id
}
