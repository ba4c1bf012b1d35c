//! The resource blocks the end-to-end tests share: the smallest valid configuration of each type,
//! with `extra` lines inside the block.

/// A standard, pay-per-use IoTDA instance; `name` is an HCL expression (quote a literal).
pub fn iotda(label: &str, name: &str, extra: &str) -> String {
    format!(
        r#"
resource "huaweicloud_iotda_instance" "{label}" {{
  name          = {name}
  instance_type = "standard"
  flavor {{
    type = "iotda.standard.s1"
    size = 1
  }}
  charge_info {{
    charge_mode = "postPaid"
  }}
  {extra}
}}
"#
    )
}

/// A Kafka instance with the required arguments.
pub fn kafka(label: &str, name: &str, extra: &str) -> String {
    format!(
        r#"
resource "huaweicloud_dms_kafka_instance" "{label}" {{
  name                   = "{name}"
  engine                 = "kafka"
  engine_version         = "2.7"
  specification          = "100MB"
  storage_space          = 600
  vpc_id                 = "vpc-0001"
  security_group_id      = "sg-0001"
  subnet_id              = "subnet-0001"
  available_zones        = ["az1", "az2", "az3"]
  product_id             = "00300-30308-0--0"
  kafka_manager_user     = "manager"
  kafka_manager_password = "Manager@Pass-02"
  storage_spec_code      = "dms.physical.storage.ultra"
  {extra}
}}
"#
    )
}
