# Shell helpers shared by demo.sh and bench.sh (sourced, not run).

# The provider's source address (PROVIDER_ADDRESS in crates/provider/src/lib.rs; a test checks they agree).
PROVIDER_ADDRESS=huaweicloud-rs/huaweicloud

# start_sim BIN_DIR PORT WORK_DIR [sim flags...]: starts the simulator in the background, sets sim_pid,
# and returns once it listens.
start_sim() {
  local bin=$1 port=$2 work=$3
  shift 3
  "$bin/huaweicloud-sim" --port "$port" "$@" >"$work/sim.log" 2>&1 &
  sim_pid=$!
  for _ in $(seq 100); do grep -q listening "$work/sim.log" && return 0; sleep 0.1; done
  echo "the simulator did not start:" >&2
  cat "$work/sim.log" >&2
  return 1
}

# use_dev_provider BIN_DIR WORK_DIR: points Terraform at the provider binary in BIN_DIR (no registry).
use_dev_provider() {
  printf 'provider_installation {\n  dev_overrides {\n    "%s" = "%s"\n  }\n  direct {}\n}\n' "$PROVIDER_ADDRESS" "$1" >"$2/cli.tfrc"
  export TF_CLI_CONFIG_FILE="$2/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
}

# sim_provider_block PORT: the terraform and provider blocks for the simulator's credentials.
sim_provider_block() {
  local url="http://127.0.0.1:$1"
  cat <<CFG
terraform {
  required_providers {
    huaweicloud = { source = "$PROVIDER_ADDRESS" }
  }
}

provider "huaweicloud" {
  region     = "cn-north-4"
  access_key = "SIMULATORACCESSKEY01"
  secret_key = "simulator-secret-key-0123456789"
  endpoints  = { iam = "$url", iotda = "$url", clouddc = "$url", dms = "$url" }
}
CFG
}
