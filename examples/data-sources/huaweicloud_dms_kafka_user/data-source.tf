# One user of an instance, by name (or set `id` = "<instance_id>/<name>").
data "huaweicloud_dms_kafka_user" "orders" {
  instance_id = "5f3c1e2a-7b6d-4c5e-9f8a-1b2c3d4e5f60"
  name        = "orders-service"
}

output "orders_user_role" {
  value = data.huaweicloud_dms_kafka_user.orders.role
}
