#!/usr/bin/env bash
# Runs every test: unit tests (signer vectors, retry and waiter schedules, validation), wiremock tests
# that pin each API call, simulator tests, and the end-to-end tests through the real terraform binary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo test --locked "$@"
