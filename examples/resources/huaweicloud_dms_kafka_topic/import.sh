# terraform import huaweicloud_dms_kafka_topic.<name> <instance_id>/<topic name>
# topic_other_configs comes with it: the configurations whose value is not the default.
terraform import huaweicloud_dms_kafka_topic.example 8959ab1c-7a1a-4b51-a05e-93dfc361b32d/orders
