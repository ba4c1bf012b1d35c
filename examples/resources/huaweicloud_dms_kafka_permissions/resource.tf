# Who may produce to and consume from the topic "orders": its whole list of access policies.
resource "huaweicloud_dms_kafka_permissions" "example" {
  instance_id = huaweicloud_dms_kafka_instance.example.id
  topic_name  = huaweicloud_dms_kafka_topic.example.name

  policies {
    user_name     = huaweicloud_dms_kafka_user.example.name
    access_policy = "pub"
  }

  policies {
    user_name     = huaweicloud_dms_kafka_instance.example.access_user
    access_policy = "all"
  }
}
