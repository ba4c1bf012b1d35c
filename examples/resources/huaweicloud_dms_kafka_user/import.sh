# terraform import huaweicloud_dms_kafka_user.<name> <instance_id>/<user name>
# The API never shows a password: the first apply after an import resets it to the configured one.
terraform import huaweicloud_dms_kafka_user.example 8959ab1c-7a1a-4b51-a05e-93dfc361b32d/orders-service
