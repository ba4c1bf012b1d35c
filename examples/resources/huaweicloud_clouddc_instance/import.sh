# terraform import huaweicloud_clouddc_instance.<name> <instance_id>
terraform import huaweicloud_clouddc_instance.example 0198170e-4ca7-7ee4-89a7-fa631843920b
