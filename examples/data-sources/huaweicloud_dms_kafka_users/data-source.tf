# Every user of an instance.
data "huaweicloud_dms_kafka_users" "all" {
  instance_id = "5f3c1e2a-7b6d-4c5e-9f8a-1b2c3d4e5f60"
}

output "user_names" {
  value = [for u in data.huaweicloud_dms_kafka_users.all.users : u.name]
}
