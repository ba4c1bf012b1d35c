# One bare-metal instance by its exact name (or set `id` instead).
data "huaweicloud_clouddc_instance" "web" {
  name = "bm-web-01"
}

output "web_addresses" {
  value = [for n in data.huaweicloud_clouddc_instance.web.network_interfaces : n.ipv4_address]
}
