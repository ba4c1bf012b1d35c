# One Kafka instance by its exact name (or set `id` instead).
data "huaweicloud_dms_kafka_instance" "events" {
  name = "tf-kafka-example"
}

output "kafka_bootstrap" {
  value = data.huaweicloud_dms_kafka_instance.events.connect_address
}
