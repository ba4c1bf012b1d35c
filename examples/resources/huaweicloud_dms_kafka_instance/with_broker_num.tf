# Created through POST /v2/{project_id}/kafka/instances: broker_num selects it, and product_id is a flavor.
# It sits next to the example above, in one configuration: local.kafka_zone_ids comes from there.
data "huaweicloud_dms_kafka_flavors" "cluster" {
  type              = "cluster"
  storage_spec_code = "dms.physical.storage.ultra.v2"
  availability_zone = local.kafka_zone_ids[0]
}

locals {
  kafka_flavor = data.huaweicloud_dms_kafka_flavors.cluster.flavors[0]
  # The zones where the flavor's ultra-high I/O disk can be had, among those not sold out.
  kafka_flavor_zones = [
    for id in local.kafka_zone_ids : id
    if contains(one([for io in local.kafka_flavor.ios : io.available_zones if io.io_spec == "dms.physical.storage.ultra.v2"]), id)
  ]
}

resource "huaweicloud_dms_kafka_instance" "brokers" {
  name              = "tf-kafka-brokers-example"
  description       = "Kafka instance sized by flavor and brokers"
  engine            = "kafka"
  engine_version    = "3.x"
  product_id        = local.kafka_flavor.product_id
  broker_num        = 3
  storage_space     = local.kafka_flavor.min_storage_per_node * 3
  storage_spec_code = "dms.physical.storage.ultra.v2"

  vpc_id            = "23921d2a-1f2c-4b8e-9d8b-5f2fa5327a48"
  subnet_id         = "37bb12c9-5d1e-4c6a-8f3e-ae8f7d336ab6"
  security_group_id = "2e888928-7a4b-4f55-b3c2-e36c6520d473"
  available_zones   = slice(local.kafka_flavor_zones, 0, 3)

  # Plain text in the VPC; the other access methods keep the service's choice.
  port_protocol {
    private_plain_enable = true
  }

  # A dynamic parameter, applied at once, and a static one, applied at the next restart (the apply warns).
  parameters {
    name  = "message.max.bytes"
    value = "5242880"
  }
  parameters {
    name  = "log.retention.hours"
    value = "48"
  }

  # Without bss_param the instance is pay-per-use.

  tags = {
    env = "dev"
  }
}

output "kafka_brokers_flavor" {
  value = "${huaweicloud_dms_kafka_instance.brokers.product_id}: ${huaweicloud_dms_kafka_instance.brokers.broker_num} brokers, ${huaweicloud_dms_kafka_instance.brokers.storage_space} GB"
}
