# Runs against huaweicloud-sim: start it (`huaweicloud-sim --port 8900`), then `terraform test`; see
# docs/guides/testing-modules-offline.md. Nothing here reaches Huawei Cloud.

variables {
  # The simulator's address (its default port).
  sim_url          = "http://127.0.0.1:8900"
  name             = "tf-test-streaming"
  manager_password = "Manager@Pass-02"
  network = {
    vpc_id            = "vpc-test"
    subnet_id         = "subnet-test"
    security_group_id = "sg-test"
    available_zones   = ["az1"]
  }
  topics = { orders = 6, payments = 3 }
}

provider "huaweicloud" {
  region     = "cn-north-4"
  access_key = "SIMULATORACCESSKEY01"
  secret_key = "simulator-secret-key-0123456789"
  endpoints  = { iam = var.sim_url, iotda = var.sim_url, clouddc = var.sim_url, dms = var.sim_url }
}

run "creates_the_instance_and_its_topics" {
  command = apply

  assert {
    condition     = length(huaweicloud_dms_kafka_topic.this) == 2
    error_message = "Both topics exist."
  }
  assert {
    condition     = huaweicloud_dms_kafka_topic.this["orders"].partition == 6
    error_message = "orders has 6 partitions."
  }
  assert {
    condition     = huaweicloud_dms_kafka_instance.this.status == "RUNNING"
    error_message = "The instance is running."
  }
  assert {
    condition     = length(split(",", output.bootstrap_servers)) == 3
    error_message = "Three brokers answer."
  }
}

run "grows_a_topic_in_place" {
  command = apply
  variables {
    topics = { orders = 12, payments = 3 }
  }

  assert {
    condition     = huaweicloud_dms_kafka_topic.this["orders"].partition == 12
    error_message = "orders grew to 12 partitions."
  }
}

run "refuses_a_topic_without_partitions" {
  command = plan
  variables {
    topics = { orders = 0 }
  }
  expect_failures = [var.topics]
}
