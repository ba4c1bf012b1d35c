# One configuration, two providers: Huawei's (huaweicloud/huaweicloud) for the network, which only it
# manages, and this one for Kafka. Huawei's keeps the local name `huaweicloud`, so its resources need no
# `provider` argument; this one is `huaweicloud-rs`, named by `provider = huaweicloud-rs` on each of its
# resources and data sources. See docs/guides/using-it-next-to-the-huaweicloud-provider.md.
terraform {
  required_version = ">= 1.11" # the write-only passwords below
  required_providers {
    huaweicloud = {
      source = "huaweicloud/huaweicloud"
    }
    huaweicloud-rs = {
      source = "huaweicloud-rs/huaweicloud"
    }
  }
}

# Both providers take the same region and keys, from these variables or, left null, from HW_REGION_NAME,
# HW_ACCESS_KEY and HW_SECRET_KEY, which both read.
provider "huaweicloud" {
  region     = var.region
  access_key = var.access_key
  secret_key = var.secret_key
}

provider "huaweicloud-rs" {
  region     = var.region
  access_key = var.access_key
  secret_key = var.secret_key
}

# ---- The network: Huawei's provider -----------------------------------------------------------------

resource "huaweicloud_vpc" "main" {
  name = "${var.name}-vpc"
  cidr = "192.168.0.0/16"
}

resource "huaweicloud_vpc_subnet" "kafka" {
  name       = "${var.name}-kafka"
  cidr       = "192.168.10.0/24"
  gateway_ip = "192.168.10.1"
  vpc_id     = huaweicloud_vpc.main.id
}

resource "huaweicloud_networking_secgroup" "kafka" {
  name        = "${var.name}-kafka"
  description = "Kafka brokers"
}

# Fed by this provider's instance: clients in the subnet may reach the brokers' port.
resource "huaweicloud_networking_secgroup_rule" "kafka_clients" {
  security_group_id = huaweicloud_networking_secgroup.kafka.id
  direction         = "ingress"
  ethertype         = "IPv4"
  protocol          = "tcp"
  port_range_min    = huaweicloud_dms_kafka_instance.main.port
  port_range_max    = huaweicloud_dms_kafka_instance.main.port
  remote_ip_prefix  = huaweicloud_vpc_subnet.kafka.cidr
}

# ---- Kafka: this provider, named on every block -----------------------------------------------------

data "huaweicloud_dms_kafka_availability_zones" "all" {
  provider = huaweicloud-rs
}

resource "huaweicloud_dms_kafka_instance" "main" {
  provider = huaweicloud-rs

  name              = "${var.name}-kafka"
  engine            = "kafka"
  engine_version    = "3.x"
  specification     = "100MB"
  product_id        = "00300-30308-0--0"
  storage_space     = 300
  storage_spec_code = "dms.physical.storage.ultra"

  # Huawei's network, by ID: a subnet's `id` is the network ID Kafka takes (not its `ipv4_subnet_id`).
  vpc_id            = huaweicloud_vpc.main.id
  subnet_id         = huaweicloud_vpc_subnet.kafka.id
  security_group_id = huaweicloud_networking_secgroup.kafka.id
  # Zone IDs (not names such as cn-north-4a): the first three that are not sold out.
  available_zones = slice([for z in data.huaweicloud_dms_kafka_availability_zones.all.availability_zones : z.id if !z.sold_out], 0, 3)

  ssl_enable          = true
  access_user         = "admin"
  password_wo         = var.kafka_password
  password_wo_version = 1

  kafka_manager_user                = "manager"
  kafka_manager_password_wo         = var.kafka_manager_password
  kafka_manager_password_wo_version = 1
}

resource "huaweicloud_dms_kafka_topic" "orders" {
  provider = huaweicloud-rs

  instance_id = huaweicloud_dms_kafka_instance.main.id
  name        = "orders"
  partition   = 6
  replication = 3
}

resource "huaweicloud_dms_kafka_user" "orders_service" {
  provider = huaweicloud-rs

  instance_id         = huaweicloud_dms_kafka_instance.main.id
  name                = "orders-service"
  password_wo         = var.kafka_user_password
  password_wo_version = 1
}

# ---- Variables and outputs --------------------------------------------------------------------------

variable "name" {
  type        = string
  default     = "orders"
  description = "Prefix of every name."
}

variable "region" {
  type        = string
  default     = null
  description = "Region of both providers; null leaves it to HW_REGION_NAME."
}

variable "access_key" {
  type        = string
  default     = null
  description = "Access key of both providers; null leaves it to HW_ACCESS_KEY."
}

variable "secret_key" {
  type        = string
  default     = null
  sensitive   = true
  description = "Secret key of both providers; null leaves it to HW_SECRET_KEY."
}

variable "kafka_password" {
  type        = string
  sensitive   = true
  ephemeral   = true
  description = "Password of the instance's SASL user `admin` (write-only: never in the plan or the state)."
}

variable "kafka_manager_password" {
  type        = string
  sensitive   = true
  ephemeral   = true
  description = "Kafka Manager password (write-only)."
}

variable "kafka_user_password" {
  type        = string
  sensitive   = true
  ephemeral   = true
  description = "Password of the SASL user `orders-service` (write-only)."
}

output "kafka_bootstrap_servers" {
  value = join(",", [for ip in split(",", huaweicloud_dms_kafka_instance.main.connect_address) : "${ip}:${huaweicloud_dms_kafka_instance.main.port}"])
}

output "vpc_id" {
  value = huaweicloud_vpc.main.id
}
