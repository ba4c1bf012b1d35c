#!/usr/bin/env bash
# Prints performance figures: signing cost, binary sizes, and terraform apply/plan/destroy wall time
# for N IoTDA instances against the simulator (plan also timed with TCP_NODELAY off for comparison).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
n=${N:-50}
source scripts/lib.sh
bash scripts/setup.sh
cargo build --release --bins -q
cargo bench -p huaweicloud-api --bench signer -q 2>/dev/null | grep signer
bin="$root/target/release"
echo "binary size: provider $(du -k "$bin/terraform-provider-huaweicloud" | cut -f1) KiB, simulator $(du -k "$bin/huaweicloud-sim" | cut -f1) KiB"

work=$(mktemp -d)
port=${SIM_PORT:-8950}
sim_pid=
trap 'kill "$sim_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
start_sim "$bin" "$port" "$work" --create-delay-ms 200 --update-delay-ms 200 --delete-delay-ms 200
use_dev_provider "$bin" "$work"
sim_provider_block "$port" >"$work/main.tf"
cat >>"$work/main.tf" <<CFG
resource "huaweicloud_iotda_instance" "bench" {
  count         = $n
  name          = "bench-\${count.index}"
  instance_type = "standard"
  flavor {
    type = "iotda.standard.s1"
    size = 1
  }
  charge_info {
    charge_mode = "postPaid"
  }
}
CFG
cd "$work"
timed() {
  local label=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >"$work/out.log" 2>&1 || { cat "$work/out.log"; exit 1; }
  t1=$(date +%s.%N)
  awk -v l="$label" -v a="$t0" -v b="$t1" 'BEGIN { printf "%-44s %6.2f s\n", l, b - a }'
}
timed "apply: create $n instances" terraform apply -auto-approve -input=false -no-color
timed "plan: refresh $n instances, no changes" terraform plan -input=false -no-color -detailed-exitcode
timed "plan: same, TCP_NODELAY off" env HUAWEICLOUD_PROVIDER_NODELAY=0 terraform plan -input=false -no-color -detailed-exitcode
timed "destroy: delete $n instances" terraform destroy -auto-approve -input=false -no-color
