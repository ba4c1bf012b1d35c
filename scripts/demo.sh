#!/usr/bin/env bash
# Builds the provider and the simulator, starts the simulator on 127.0.0.1, applies the IoTDA example
# against it, shows the result, and destroys it again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
profile=${PROFILE:-release}
cargo build --profile "$profile" --bins
bin="$root/target/$([ "$profile" = dev ] && echo debug || echo "$profile")"
port=${SIM_PORT:-8900}
work=$(mktemp -d)
trap 'kill "$sim_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin/huaweicloud-sim" --port "$port" --create-delay-ms 1500 --update-delay-ms 1000 --delete-delay-ms 1000 >"$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 50); do grep -q listening "$work/sim.log" && break; sleep 0.1; done
cat "$work/sim.log"

cat >"$work/cli.tfrc" <<CFG
provider_installation {
  dev_overrides {
    "local/huaweicloud" = "$bin"
  }
  direct {}
}
CFG
cat >"$work/main.tf" <<CFG
terraform {
  required_providers {
    huaweicloud = { source = "local/huaweicloud" }
  }
}

provider "huaweicloud" {
  region     = "cn-north-4"
  access_key = "SIMULATORACCESSKEY01"
  secret_key = "simulator-secret-key-0123456789"
  endpoints = {
    iam     = "http://127.0.0.1:$port"
    iotda   = "http://127.0.0.1:$port"
    clouddc = "http://127.0.0.1:$port"
    dms     = "http://127.0.0.1:$port"
  }
}
CFG
cp examples/resources/huaweicloud_iotda_instance/resource.tf "$work/"

export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
cd "$work"
echo "== terraform apply"
time terraform apply -auto-approve -input=false -no-color
echo "== terraform state show"
terraform state show -no-color huaweicloud_iotda_instance.example
echo "== terraform plan (expect no changes)"
terraform plan -detailed-exitcode -input=false -no-color >/dev/null && echo "No changes: the applied state matches the configuration."
echo "== terraform destroy"
terraform destroy -auto-approve -input=false -no-color
echo "== simulator state after destroy"
curl -s "http://127.0.0.1:$port/_sim/state" 2>/dev/null || true
echo
