# terraform import huaweicloud_dms_kafka_permissions.<name> <instance_id>/<topic name>
terraform import huaweicloud_dms_kafka_permissions.example 8959ab1c-7a1a-4b51-a05e-93dfc361b32d/orders
