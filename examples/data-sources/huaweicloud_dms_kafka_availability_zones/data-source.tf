# The zones of the region that are not sold out, by id (as an instance's available_zones takes them).
data "huaweicloud_dms_kafka_availability_zones" "all" {}

output "zone_ids" {
  value = [for z in data.huaweicloud_dms_kafka_availability_zones.all.availability_zones : z.id if !z.sold_out]
}
