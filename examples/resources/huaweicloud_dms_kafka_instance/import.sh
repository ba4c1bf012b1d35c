# terraform import huaweicloud_dms_kafka_instance.<name> <instance_id>
# What the API never returns (passwords, publicip_id, tenant_ips, arch_type and bss_param's period and payment
# settings) is not imported: keep it in the configuration.
terraform import huaweicloud_dms_kafka_instance.example 8959ab1c-7a1a-4b51-a05e-93dfc361b32d
