resource "huaweicloud_dms_kafka_topic" "example" {
  instance_id      = huaweicloud_dms_kafka_instance.example.id
  name             = "orders"
  partition        = 6
  replication      = 3
  retention_time   = 48
  sync_replication = true
  topic_desc       = "Orders placed in the shop"

  topic_other_configs {
    name  = "max.message.bytes"
    value = "10485760"
  }
}

output "kafka_topic_id" {
  value = huaweicloud_dms_kafka_topic.example.id
}
