# A Kafka instance with a set of topics: the kind of module platform teams write once and reuse.
terraform {
  required_providers {
    huaweicloud = { source = "huaweicloud-rs/huaweicloud" }
  }
}

variable "name" {
  type        = string
  description = "Name of the Kafka instance."
}

variable "network" {
  type = object({
    vpc_id            = string
    subnet_id         = string
    security_group_id = string
    available_zones   = list(string)
  })
  description = "Where the brokers run."
}

variable "manager_password" {
  type        = string
  sensitive   = true
  ephemeral   = true
  description = "Kafka Manager password: sent to the API only, never stored in the plan or the state."
}

variable "manager_password_version" {
  type        = number
  default     = 1
  description = "Raise it to send a new manager_password."
}

variable "topics" {
  type        = map(number)
  description = "Topic name => number of partitions."
  validation {
    condition     = alltrue([for p in values(var.topics) : p >= 1 && p <= 200])
    error_message = "A topic has 1 to 200 partitions."
  }
}

resource "huaweicloud_dms_kafka_instance" "this" {
  name                              = var.name
  engine                            = "kafka"
  engine_version                    = "3.x"
  specification                     = "100MB"
  product_id                        = "00300-30308-0--0"
  storage_space                     = 300
  storage_spec_code                 = "dms.physical.storage.ultra"
  vpc_id                            = var.network.vpc_id
  subnet_id                         = var.network.subnet_id
  security_group_id                 = var.network.security_group_id
  available_zones                   = var.network.available_zones
  kafka_manager_user                = "manager"
  kafka_manager_password_wo         = var.manager_password
  kafka_manager_password_wo_version = var.manager_password_version
}

resource "huaweicloud_dms_kafka_topic" "this" {
  for_each    = var.topics
  instance_id = huaweicloud_dms_kafka_instance.this.id
  name        = each.key
  partition   = each.value
  replication = 3
}

output "bootstrap_servers" {
  value = huaweicloud_dms_kafka_instance.this.connect_address
}

output "topic_ids" {
  value = { for k, t in huaweicloud_dms_kafka_topic.this : k => t.id }
}
