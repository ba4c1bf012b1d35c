# terraform import huaweicloud_dms_kafka_instance.<name> <instance_id>
# password, kafka_manager_password and publicip_id are not imported: keep them in the configuration.
terraform import huaweicloud_dms_kafka_instance.example 8959ab1c-7a1a-4b51-a05e-93dfc361b32d
