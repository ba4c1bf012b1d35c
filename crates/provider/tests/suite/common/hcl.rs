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

/// A CloudDC instance with one interface; `extra` lines inside the block.
pub fn clouddc(label: &str, name: &str, extra: &str) -> String {
    format!(
        r#"
resource "huaweicloud_clouddc_instance" "{label}" {{
  name     = "{name}"
  image_id = "5d1a9d5c-0f1b-4a61-9bd5-0c3b5e1e6c2a"
  vpc_id   = "vpc-e2e"
  password = "Secret-123"
  network_interfaces {{
    subnet_id = "subnet-a"
  }}
  {extra}
}}
"#
    )
}

/// Every optional argument of the Kafka create table, for `kafka`'s `extra`.
pub const KAFKA_ALL: &str = r#"
  description           = "first"
  partition_num         = 300
  ssl_enable            = true
  access_user           = "kafka-user"
  password              = "Kafka@Pass-01"
  maintain_begin        = "22:00"
  maintain_end          = "02:00"
  enable_publicip       = true
  public_bandwidth      = 100
  publicip_id           = "eip-1,eip-2,eip-3"
  retention_policy      = "time_base"
  connector_enable      = false
  enable_auto_topic     = true
  enterprise_project_id = "0"
  tags                  = { env = "dev", team = "data" }
"#;
