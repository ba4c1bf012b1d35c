#!/usr/bin/env bash
# Two builds of the provider side by side in one run, alternating: a plan (refresh, no changes) of N mixed
# instances and of REFRESH_N Kafka and CloudDC instances, each beside the no-op provider of the same build,
# against one simulator. For a change of the plugin layer, whose cost single runs on different days hide.
# Usage: bash scripts/bench-ab.sh OTHER_RELEASE_DIR [LABEL]
#   OTHER_RELEASE_DIR holds the other build's terraform-provider-huaweicloud and examples/noop_provider
#   (e.g. a worktree's target/release after `cargo build --release --bins --example noop_provider`); this
#   checkout's release build is the first column. RUNS=7 plans each (medians and ranges), N=200, REFRESH_N=1000.
# Writes docs/benchmarks-ab.md (and prints it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
other=${1:?usage: bash scripts/bench-ab.sh OTHER_RELEASE_DIR [LABEL]}
label=${2:-other build}
runs=${RUNS:-7}
n=${N:-200}
per=$(((n + 2) / 3))
big=${REFRESH_N:-1000}
source scripts/lib.sh
bash scripts/setup.sh
cargo build --release --bins -q
cargo build --release -q -p terraform-provider-huaweicloud --example noop_provider
# The configurations bench.sh measures.
eval "$(awk '/^(kafka_and_clouddc|mixed)\(\) \{/{on=1} on{print} on&&(prev=="CFG"||prev~/^  kafka_and_clouddc/)&&$0=="}"{on=0} {prev=$0}' scripts/bench.sh)"
port=${SIM_PORT:-8960}
work=$(mktemp -d)
sim_pid=
trap 'kill "$sim_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
start_sim "$root/target/release" "$port" "$work" --create-delay-ms 20 --update-delay-ms 20 --delete-delay-ms 20
export HUAWEICLOUD_POLL_SCHEDULE_MS=50,1000 TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
# Each build has its own instances (a state of one build's schema version may not be readable by the other).
for v in a b; do
  case $v in a) bin=$root/target/release ;; b) bin=$other ;; esac
  mkdir -p "$work/$v/bin" "$work/$v/noopbin"
  cp "$bin/terraform-provider-huaweicloud" "$work/$v/bin/"
  cp "$bin/examples/noop_provider" "$work/$v/noopbin/terraform-provider-noop"
  printf 'provider_installation {\n  dev_overrides {\n    "%s" = "%s"\n    "local/noop" = "%s"\n  }\n  direct {}\n}\n' \
    "$PROVIDER_ADDRESS" "$work/$v/bin" "$work/$v/noopbin" >"$work/$v/cli.tfrc"
  for kind in mixed many; do
    mkdir -p "$work/$v/$kind" "$work/$v/$kind-noop"
    case $kind in
      mixed) mixed | sed "s/bench-/$v-/g" ;;
      many) sim_provider_block "$port"; kafka_and_clouddc "$((big / 2))" "$v-big" "subnet-$v-\${count.index % 5}" ;;
    esac >"$work/$v/$kind/main.tf"
    sed "s|$PROVIDER_ADDRESS|local/noop|g; s/huaweicloud/noop/g" "$work/$v/$kind/main.tf" >"$work/$v/$kind-noop/main.tf"
    for dir in "$kind" "$kind-noop"; do
      (cd "$work/$v/$dir" && TF_CLI_CONFIG_FILE="$work/$v/cli.tfrc" \
        terraform apply -auto-approve -input=false -no-color -parallelism=50 >"$work/apply.log" 2>&1) ||
        { cat "$work/apply.log"; exit 1; }
    done
  done
done
plan() {
  local s e
  s=$(date +%s.%N)
  (cd "$work/$1/$2" && TF_CLI_CONFIG_FILE="$work/$1/cli.tfrc" terraform plan -input=false -no-color -detailed-exitcode >/dev/null)
  e=$(date +%s.%N)
  awk -v a="$s" -v b="$e" 'BEGIN { printf "%.3f\n", b - a }' >>"$work/times-$1-$2"
}
for _ in $(seq "$runs"); do
  for dir in mixed mixed-noop many many-noop; do
    plan a "$dir"
    plan b "$dir"
  done
done
stat() { sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%.2f s (%.2f–%.2f)", v[int((NR + 1) / 2)], v[1], v[NR] }'; }
report="$work/report.md"
{
  echo "# Benchmarks: two builds side by side"
  echo
  echo "One run of \`bash scripts/bench-ab.sh\` on $(nproc) cores: each plan $runs times, the builds alternating, against one"
  echo "simulator; medians (range). This checkout ($(git rev-parse --short HEAD)) beside $label."
  echo
  echo "| plan (refresh, no changes) | this checkout | $label |"
  echo "|---|---|---|"
  echo "| $((3 * per)) mixed instances, this provider | $(stat "$work/times-a-mixed") | $(stat "$work/times-b-mixed") |"
  echo "| the same, no-op provider of the build | $(stat "$work/times-a-mixed-noop") | $(stat "$work/times-b-mixed-noop") |"
  echo "| $big Kafka and CloudDC instances, this provider | $(stat "$work/times-a-many") | $(stat "$work/times-b-many") |"
  echo "| the same, no-op provider of the build | $(stat "$work/times-a-many-noop") | $(stat "$work/times-b-many-noop") |"
  echo
  echo "Commands: \`bash scripts/bench-ab.sh OTHER_RELEASE_DIR\` (this file is its output)."
} >"$report"
cat "$report"
cp "$report" "$root/docs/benchmarks-ab.md"
