# Every running instance named exactly "tf-kafka-example", failed creations included.
data "huaweicloud_dms_kafka_instances" "running" {
  name             = "tf-kafka-example"
  exact_match_name = true
  status           = "RUNNING"
  include_failure  = true
}

output "kafka_running" {
  value = length(data.huaweicloud_dms_kafka_instances.running.instances)
}
