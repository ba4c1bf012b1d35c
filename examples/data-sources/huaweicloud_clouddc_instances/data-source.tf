# The running instances on two physical servers.
data "huaweicloud_clouddc_instances" "rack" {
  server_id      = ["c1f2e3d4-b5a6-4789-8a0b-1c2d3e4f5a6b", "d2e3f4a5-b6c7-4890-9a1b-2c3d4e5f6a7b"]
  instance_state = "running"
}

output "rack_instances" {
  value = { for i in data.huaweicloud_clouddc_instances.rack.instances : i.name => i.id }
}
