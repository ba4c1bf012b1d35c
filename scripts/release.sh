#!/usr/bin/env bash
# Builds the provider's release binary and writes the registry's release artefacts for one platform:
#   terraform-provider-huaweicloud_{VERSION}_{OS}_{ARCH}.zip   (holding terraform-provider-huaweicloud_v{VERSION})
#   terraform-provider-huaweicloud_{VERSION}_SHA256SUMS         (every zip of the version in OUTDIR, and the manifest)
#   terraform-provider-huaweicloud_{VERSION}_manifest.json      (the registry manifest: protocol 6)
# Usage: scripts/release.sh [VERSION] [OUTDIR]   (defaults: the version in Cargo.toml, dist/)
# Run it once per platform into the same OUTDIR: SHA256SUMS then lists every platform's zip. Signing the
# SHA256SUMS file (the registry wants a detached GPG signature, _SHA256SUMS.sig) is a separate step with
# the publisher's key.
# Environment: RELEASE_BINARY=PATH packages an already built binary (its --version must match);
# RELEASE_OS / RELEASE_ARCH name the platform of a cross-built binary (default: this machine's).
set -euo pipefail
caller=$PWD
root=$(cd "$(dirname "$0")/.." && pwd)
version=${1:-}
out=${2:-dist}
binary=${RELEASE_BINARY:-}
# Paths given by the caller are the caller's, resolved before moving to the project root.
case "$out" in /*) ;; *) out="$caller/$out" ;; esac
if [ -n "$binary" ]; then case "$binary" in /*) ;; *) binary="$caller/$binary" ;; esac; fi
cd "$root"
if [ -z "$version" ]; then
  version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
fi
if ! printf '%s' "$version" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'; then
  echo "release.sh: $version is not a version such as 1.2.3" >&2
  exit 2
fi

case "$(uname -s)" in
  Linux) host_os=linux ;;
  Darwin) host_os=darwin ;;
  FreeBSD) host_os=freebsd ;;
  *) host_os=unknown ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) host_arch=amd64 ;;
  aarch64 | arm64) host_arch=arm64 ;;
  *) host_arch=unknown ;;
esac
os=${RELEASE_OS:-$host_os}
arch=${RELEASE_ARCH:-$host_arch}
if [ "$os" = unknown ] || [ "$arch" = unknown ]; then
  echo "release.sh: unsupported platform $(uname -s)/$(uname -m); set RELEASE_OS and RELEASE_ARCH" >&2
  exit 2
fi

if [ -z "$binary" ]; then
  bash scripts/setup.sh
  cargo build --release --locked -p terraform-provider-huaweicloud
  binary="${CARGO_TARGET_DIR:-$root/target}/release/terraform-provider-huaweicloud"
fi
# A binary for this platform says its version; a cross-built one cannot be run here.
if [ "$os/$arch" = "$host_os/$host_arch" ]; then
  built=$("$binary" --version | awk '{print $2}')
  if [ "$built" != "$version" ]; then
    echo "release.sh: the binary says $built, not $version: set the version in Cargo.toml first" >&2
    exit 2
  fi
fi

if command -v sha256sum >/dev/null 2>&1; then sum() { sha256sum "$@"; }; else sum() { shasum -a 256 "$@"; }; fi

name=terraform-provider-huaweicloud
mkdir -p "$out"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$binary" "$stage/${name}_v${version}"
chmod 755 "$stage/${name}_v${version}"
zip_file="${name}_${version}_${os}_${arch}.zip"
rm -f "$out/$zip_file"
(cd "$stage" && zip -q -X "$out/$zip_file" "${name}_v${version}")
cp terraform-registry-manifest.json "$out/${name}_${version}_manifest.json"
(cd "$out" && sum "${name}_${version}"_*.zip "${name}_${version}_manifest.json" >"${name}_${version}_SHA256SUMS")
echo "wrote to $out:"
(cd "$out" && ls -1 "$zip_file" "${name}_${version}_SHA256SUMS" "${name}_${version}_manifest.json")
