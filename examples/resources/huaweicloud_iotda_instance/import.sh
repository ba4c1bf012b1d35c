# terraform import huaweicloud_iotda_instance.<name> <instance_id>
terraform import huaweicloud_iotda_instance.example 8561675c-d8a3-4956-9884-9cf9cbdd3134
