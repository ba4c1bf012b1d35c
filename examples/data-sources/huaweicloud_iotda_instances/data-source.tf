# Every standard instance whose name contains "prod" (the list API matches names fuzzily).
data "huaweicloud_iotda_instances" "prod" {
  name          = "prod"
  instance_type = "standard"
}

output "iotda_prod_ids" {
  value = [for i in data.huaweicloud_iotda_instances.prod.instances : i.id]
}
