# One instance by its exact name (or set `id` instead).
data "huaweicloud_iotda_instance" "devices" {
  name = "tf-iotda-example"
}

output "iotda_https_endpoint" {
  value = [for a in data.huaweicloud_iotda_instance.devices.access_infos : a.domain_name if a.type == "APP_HTTPS"]
}
