#!/usr/bin/env bash
# Installs what a fresh machine lacks to build and test: protoc and the well-known types it imports
# (google/protobuf/timestamp.proto), needed by the gRPC code generator.
set -euo pipefail
if ! command -v protoc >/dev/null 2>&1 || [ ! -f /usr/include/google/protobuf/timestamp.proto ]; then
  echo "installing protoc (protobuf-compiler, libprotobuf-dev)"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq protobuf-compiler libprotobuf-dev >/dev/null
fi
if ! command -v terraform >/dev/null 2>&1; then
  echo "WARNING: terraform is not on PATH: the end-to-end tests need Terraform >= 1.6" >&2
fi
