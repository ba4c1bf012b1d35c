# The cluster flavors that offer ultra-high I/O storage in the region's first zone, and their limits.
data "huaweicloud_dms_kafka_availability_zones" "all" {}

data "huaweicloud_dms_kafka_flavors" "cluster" {
  type              = "cluster"
  storage_spec_code = "dms.physical.storage.ultra.v2"
  availability_zone = data.huaweicloud_dms_kafka_availability_zones.all.availability_zones[0].id
}

output "flavors" {
  value = {
    for f in data.huaweicloud_dms_kafka_flavors.cluster.flavors :
    f.product_id => { brokers = [f.min_broker, f.max_broker], storage_per_broker = [f.min_storage_per_node, f.max_storage_per_node] }
  }
}
