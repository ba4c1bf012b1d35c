#!/usr/bin/env bash
# Builds the provider's release binary and writes the registry's release artefacts for this platform:
#   terraform-provider-huaweicloud_{VERSION}_{OS}_{ARCH}.zip   (holding terraform-provider-huaweicloud_v{VERSION})
#   terraform-provider-huaweicloud_{VERSION}_SHA256SUMS         (the zip and the manifest)
#   terraform-provider-huaweicloud_{VERSION}_manifest.json      (the registry manifest: protocol 6)
# Usage: scripts/release.sh [VERSION] [OUTDIR]   (defaults: the version in Cargo.toml, dist/)
# RELEASE_BINARY=PATH packages an already built binary instead of building one (the tests use it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
version=${1:-$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)}
out=${2:-dist}
case "$version" in
  [0-9]*.[0-9]*.[0-9]*) ;;
  *) echo "release.sh: $version is not a version such as 1.2.3" >&2; exit 2 ;;
esac

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  FreeBSD) os=freebsd ;;
  *) echo "release.sh: unsupported OS $(uname -s)" >&2; exit 2 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "release.sh: unsupported architecture $(uname -m)" >&2; exit 2 ;;
esac

binary=${RELEASE_BINARY:-}
if [ -z "$binary" ]; then
  bash scripts/setup.sh
  cargo build --release --locked -p terraform-provider-huaweicloud
  binary=target/release/terraform-provider-huaweicloud
fi
built=$("$binary" --version | awk '{print $2}')
if [ -z "${RELEASE_BINARY:-}" ] && [ "$built" != "$version" ]; then
  echo "release.sh: the binary says $built, not $version: set the version in Cargo.toml first" >&2
  exit 2
fi

name=terraform-provider-huaweicloud
mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$binary" "$stage/${name}_v${version}"
chmod 755 "$stage/${name}_v${version}"
zip_file="${name}_${version}_${os}_${arch}.zip"
rm -f "$out/$zip_file"
(cd "$stage" && zip -q -X "$out/$zip_file" "${name}_v${version}")
cp terraform-registry-manifest.json "$out/${name}_${version}_manifest.json"
(cd "$out" && sha256sum "$zip_file" "${name}_${version}_manifest.json" >"${name}_${version}_SHA256SUMS")
echo "wrote to $out:"
(cd "$out" && ls -1 "$zip_file" "${name}_${version}_SHA256SUMS" "${name}_${version}_manifest.json")
