terraform {
  required_providers {
    huaweicloud = {
      source = "huaweicloud-rs/huaweicloud"
    }
  }
}

# Credentials and region may also come from HW_ACCESS_KEY, HW_SECRET_KEY and HW_REGION_NAME.
provider "huaweicloud" {
  region     = "cn-north-4"
  access_key = var.access_key
  secret_key = var.secret_key

  # Tags every IoTDA and Kafka instance gets besides its own `tags` (its `tags_all` shows the merge).
  default_tags = {
    managed_by = "terraform"
  }

  # Optional: project_id (looked up through IAM when unset), security_token,
  # max_retries, and endpoints = { iam = "...", iotda = "...", clouddc = "...", dms = "..." }.
}

variable "access_key" {
  type = string
}

variable "secret_key" {
  type      = string
  sensitive = true
}
