#!/usr/bin/env bash
# Installs what a fresh machine lacks to build and test: protoc and the well-known types it imports
# (google/protobuf/timestamp.proto), needed by the gRPC code generator; zip, unzip, gpg and its agent (which signs), with which the
# release test packs, reads and signs the release (scripts/release.sh installs its own cross compilers).
set -euo pipefail
if [ "$(uname -s)" = Darwin ]; then
  # Homebrew's protoc carries the well-known types (a macOS release build: .github/workflows/release.yml).
  command -v protoc >/dev/null 2>&1 || brew install protobuf
  exit 0
fi
missing=()
if ! command -v protoc >/dev/null 2>&1 || [ ! -f /usr/include/google/protobuf/timestamp.proto ]; then
  missing+=(protobuf-compiler libprotobuf-dev)
fi
for tool in zip unzip gpg gpg-agent; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! command -v terraform >/dev/null 2>&1; then
  echo "WARNING: terraform is not on PATH: the end-to-end tests need Terraform >= 1.6" >&2
fi
