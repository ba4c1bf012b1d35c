#!/usr/bin/env bash
# Builds, packages, checksums and signs a release of the provider for several platforms, as a registry
# publishes it, into OUTDIR:
#   terraform-provider-huaweicloud_{VERSION}_{OS}_{ARCH}.zip   one per platform, holding
#                                                              terraform-provider-huaweicloud_v{VERSION}(.exe)
#   terraform-provider-huaweicloud_{VERSION}_SHA256SUMS         every zip of the version in OUTDIR, and the manifest
#   terraform-provider-huaweicloud_{VERSION}_SHA256SUMS.sig     detached GPG signature of SHA256SUMS
#   terraform-provider-huaweicloud_{VERSION}_manifest.json      the registry manifest (protocol 6)
# Usage: scripts/release.sh [VERSION] [OUTDIR]   (defaults: the version in Cargo.toml, dist/)
#
# Platforms: linux_amd64, linux_arm64, darwin_amd64, darwin_arm64, windows_amd64. A Linux machine builds
# linux_amd64, linux_arm64 and windows_amd64 (the default there), with Debian's cross compilers, which the
# script installs when missing, as it adds the Rust targets. A macOS machine builds darwin_amd64 and
# darwin_arm64 (the default there): the darwin binaries link macOS's Security and CoreFoundation frameworks
# (the system's trust store), which come only with Apple's SDK, so no Linux machine links them.
# .github/workflows/release.yml runs this script on both and signs the whole set.
#
# Environment:
#   RELEASE_PLATFORMS  space-separated os_arch to build (default: this machine's, above); each one named is
#                      built, or the script fails before building any.
#   RELEASE_BINARY     package this already-built binary as this machine's platform instead of building it
#                      (its format and --version must match).
#   GPG_FINGERPRINT    sign SHA256SUMS with this key, from GNUPGHOME when set; unset: everything but the .sig
#                      is written, with a warning.
#   SOURCE_DATE_EPOCH  the time of the files in the zips (default: 1980-01-01, zip's first); with mode,
#                      time zone and entry fixed, the same binary gives the same zip, byte for byte.
# A second run reuses cargo's build of each platform (target/ or CARGO_TARGET_DIR).
set -euo pipefail
export LC_ALL=C # byte order for the sums' list, whatever the caller's locale
unset ZIPOPT ZIP  # zip's options from the environment would change the zips' bytes
caller=$PWD
root=$(cd "$(dirname "$0")/.." && pwd)
version=${1:-}
out=${2:-dist}
binary=${RELEASE_BINARY:-}
name=terraform-provider-huaweicloud
say() { echo "release.sh: $*" >&2; }
fail() {
  say "$@"
  exit 2
}
if [ -n "${RELEASE_OS:-}${RELEASE_ARCH:-}" ]; then
  fail "RELEASE_OS and RELEASE_ARCH are gone (they labelled a binary built elsewhere): name platforms in RELEASE_PLATFORMS"
fi
# Paths given by the caller are the caller's, resolved before moving to the project root.
case "$out" in /*) ;; *) out="$caller/$out" ;; esac
if [ -n "$binary" ]; then case "$binary" in /*) ;; *) binary="$caller/$binary" ;; esac; fi
cd "$root"
source_version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
version=${version:-$source_version}
if ! printf '%s' "$version" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'; then
  fail "$version is not a version such as 1.2.3"
fi

case "$(uname -s)" in
  Linux) host_os=linux ;;
  Darwin) host_os=darwin ;;
  *) host_os=unknown ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) host_arch=amd64 ;;
  aarch64 | arm64) host_arch=arm64 ;;
  *) host_arch=unknown ;;
esac
host=${host_os}_${host_arch}
case "$host_os" in
  linux) buildable="linux_amd64 linux_arm64 windows_amd64" ;;
  darwin) buildable="darwin_amd64 darwin_arm64" ;;
  *) buildable="" ;;
esac
set -f # the list is split on white space, never globbed
# shellcheck disable=SC2086
platforms=$(printf '%s\n' ${RELEASE_PLATFORMS:-$buildable} | awk 'NF && !seen[$0]++' | tr '\n' ' ')
set +f
[ -n "$platforms" ] || fail "no platform to build on $(uname -s)/$(uname -m)"

triple() {
  case "$1" in
    linux_amd64) echo x86_64-unknown-linux-gnu ;;
    linux_arm64) echo aarch64-unknown-linux-gnu ;;
    darwin_amd64) echo x86_64-apple-darwin ;;
    darwin_arm64) echo aarch64-apple-darwin ;;
    windows_amd64) echo x86_64-pc-windows-gnu ;;
  esac
}
# The file name ending of a platform's executables.
exe_of() {
  case "$1" in windows_*) echo .exe ;; esac
}
# The C cross compiler (linker, and ring's C code) of a platform built on a Linux machine, and its
# Debian packages.
cross_cc() {
  case "$1" in
    linux_amd64) echo "x86_64-linux-gnu-gcc gcc-x86-64-linux-gnu libc6-dev-amd64-cross" ;;
    linux_arm64) echo "aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu libc6-dev-arm64-cross" ;;
    windows_amd64) echo "x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64" ;;
  esac
}
# What a binary is, read from its header: ELF, PE or Mach-O, and the machine it runs on.
platform_of() {
  local f=$1 magic at
  magic=$(od -An -tx1 -N4 "$f" | tr -d ' \n')
  case "$magic" in
    7f454c46)
      case "$(od -An -tx1 -j18 -N2 "$f" | tr -d ' \n')" in
        3e00) echo linux_amd64 ;; b700) echo linux_arm64 ;; *) echo linux_other ;;
      esac ;;
    4d5a*)
      at=$(od -An -tu4 -j60 -N4 "$f" | tr -d ' \n')
      case "$(od -An -tx1 -j"$at" -N6 "$f" | tr -d ' \n')" in
        504500006486) echo windows_amd64 ;; *) echo windows_other ;;
      esac ;;
    cffaedfe)
      case "$(od -An -tx1 -j4 -N4 "$f" | tr -d ' \n')" in
        07000001) echo darwin_amd64 ;; 0c000001) echo darwin_arm64 ;; *) echo darwin_other ;;
      esac ;;
    *) echo unknown ;;
  esac
}

# Every platform named must be buildable here, before anything is built.
for p in $platforms; do
  [ -n "$(triple "$p")" ] || fail "unknown platform $p (known: linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64)"
  case " $buildable " in *" $p "*) ;; *)
    case "$p" in darwin_*) why="the darwin binaries link macOS's frameworks, which only a macOS machine has (see .github/workflows/release.yml)" ;;
      *) why="this machine builds $buildable" ;;
    esac
    fail "$p cannot be built on $(uname -s)/$(uname -m): $why"
  esac
done
if [ -n "${GPG_FINGERPRINT:-}" ]; then
  command -v gpg >/dev/null 2>&1 || fail "GPG_FINGERPRINT is set but gpg is missing"
fi
case "${SOURCE_DATE_EPOCH:-0}" in *[!0-9]*) fail "SOURCE_DATE_EPOCH must be a number of seconds, got $SOURCE_DATE_EPOCH" ;; esac
if [ -n "$binary" ]; then
  case " $platforms " in *" $host "*) ;; *) fail "RELEASE_BINARY is a $host binary, but RELEASE_PLATFORMS ($platforms) leaves $host out" ;; esac
fi
building=""
for p in $platforms; do if [ "$p" != "$host" ] || [ -z "$binary" ]; then building="$building$p "; fi; done
if [ -n "$building" ] && [ "$version" != "$source_version" ]; then
  fail "Cargo.toml says $source_version, not $version: set the version in Cargo.toml first"
fi

# The toolchains: Rust targets through rustup, C cross compilers from Debian's packages.
if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
updated=""
apt_install() {
  command -v apt-get >/dev/null 2>&1 || fail "missing $*: install them (no apt-get here)"
  say "installing $*"
  if [ -z "$updated" ]; then
    $sudo apt-get update -qq
    updated=yes
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
command -v zip >/dev/null 2>&1 || apt_install zip
command -v unzip >/dev/null 2>&1 || apt_install unzip
for p in $building; do
  t=$(triple "$p")
  if [ "$p" != "$host" ]; then
    command -v rustup >/dev/null 2>&1 || fail "$p needs the Rust target $t: install rustup, or add the target to this toolchain"
    rustup target list --installed | grep -qx "$t" || rustup target add "$t"
  fi
  if [ "$host_os" = linux ] && [ "$p" != "$host" ]; then
    read -r cc packages <<<"$(cross_cc "$p")"
    # shellcheck disable=SC2086 # a list of package names
    if ! command -v "$cc" >/dev/null 2>&1 || { command -v dpkg >/dev/null 2>&1 && ! dpkg -s $packages >/dev/null 2>&1; }; then
      apt_install $packages
    fi
  fi
done

# The builds, one platform after another (cargo uses every core for each).
target_dir=${CARGO_TARGET_DIR:-$root/target}
# What cargo sets for one package's test or build script (the release test runs this script) is no setting
# of these builds: left in, it changes what build scripts watching it (ring's) saw, and all is rebuilt.
for v in $(env | sed -nE 's/^(CARGO_PKG_[A-Z_]*|CARGO_MANIFEST_[A-Z_]*|CARGO_CRATE_NAME|CARGO_PRIMARY_PACKAGE|CARGO_TARGET_TMPDIR|OUT_DIR)=.*/\1/p'); do
  unset "$v"
done
if [ -n "$building" ]; then bash scripts/setup.sh; fi
binary_of() {
  local p=$1 t exe
  t=$(triple "$p")
  exe=$(exe_of "$p")
  if [ "$p" = "$host" ] && [ -n "$binary" ]; then
    echo "$binary"
  elif [ "$p" = "$host" ]; then
    echo "$target_dir/release/$name"
  else
    echo "$target_dir/$t/release/$name$exe"
  fi
}
for p in $building; do
  say "building $p"
  if [ "$p" = "$host" ]; then
    cargo build --release --locked -p "$name"
    continue
  fi
  t=$(triple "$p")
  if [ "$host_os" = linux ]; then
    # The cross compiler links, and builds ring's C code, for this build only (no global cargo config).
    read -r cc _ <<<"$(cross_cc "$p")"
    upper=$(echo "$t" | tr 'a-z-' 'A-Z_')
    lower=$(echo "$t" | tr '-' '_')
    env "CARGO_TARGET_${upper}_LINKER=$cc" "CC_${lower}=$cc" "AR_${lower}=${cc%gcc}ar" \
      cargo build --release --locked -p "$name" --target "$t"
  else
    cargo build --release --locked -p "$name" --target "$t"
  fi
done

# Each binary is what its zip says: its header names the platform, and this machine's says its version
# (a cross-built one cannot run here: it was built from this tree, whose version was checked above).
for p in $platforms; do
  bin=$(binary_of "$p")
  [ -f "$bin" ] || fail "$bin is missing"
  is=$(platform_of "$bin")
  [ "$is" = "$p" ] || fail "$bin is a $is binary, not $p"
  if [ "$p" = "$host" ]; then
    said=$("$bin" --version | awk '{print $2}') || fail "$bin --version failed"
    [ "$said" = "$version" ] || fail "the binary says $said, not $version: set the version in Cargo.toml first"
  fi
done

# Reproducible zips: one entry with fixed mode and time, no extra fields (-X), the time written in UTC.
# The default time is zip's first, 1980-01-01 00:00 UTC, so that the zip depends on the binary alone.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-315532800} # checked to be a number above
[ "$SOURCE_DATE_EPOCH" -ge 315532800 ] || SOURCE_DATE_EPOCH=315532800 # zip's times start in 1980
stamp=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y%m%d%H%M.%S 2>/dev/null || date -u -r "$SOURCE_DATE_EPOCH" +%Y%m%d%H%M.%S)
if command -v sha256sum >/dev/null 2>&1; then sum() { sha256sum "$@"; }; else sum() { shasum -a 256 "$@"; }; fi
mkdir -p "$out"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
sums="${name}_${version}_SHA256SUMS"
# The sums list every zip of the version in OUTDIR (another machine's platforms too): each one not made by
# this run must also be what its name says, or it would be signed unchecked.
for zip_path in "$out/${name}_${version}"_*.zip; do
  [ -f "$zip_path" ] || continue
  p=${zip_path##*/"${name}"_"${version}"_}
  p=${p%.zip}
  case " $platforms " in *" $p "*) continue ;; esac
  [ -n "$(triple "$p")" ] || fail "$zip_path is not a zip of a known platform: remove it"
  exe=$(exe_of "$p")
  mkdir "$stage/check-$p"
  unzip -q -d "$stage/check-$p" "$zip_path" "${name}_v${version}$exe" || fail "$zip_path does not hold ${name}_v${version}$exe"
  is=$(platform_of "$stage/check-$p/${name}_v${version}$exe")
  [ "$is" = "$p" ] || fail "$zip_path holds a $is binary, not $p"
done
# Whatever fails below leaves no signed sums beside zips they do not describe.
rm -f "$out/$sums" "$out/$sums.sig"
for p in $platforms; do
  entry="${name}_v${version}$(exe_of "$p")"
  zip_file="${name}_${version}_$p.zip"
  mkdir "$stage/$p"
  cp "$(binary_of "$p")" "$stage/$p/$entry"
  chmod 755 "$stage/$p/$entry"
  TZ=UTC touch -t "$stamp" "$stage/$p/$entry"
  rm -f "$out/$zip_file"
  (cd "$stage/$p" && TZ=UTC zip -q -X -9 "$out/$zip_file" "$entry")
done
cp terraform-registry-manifest.json "$out/${name}_${version}_manifest.json"
(cd "$out" && sum "${name}_${version}"_*.zip "${name}_${version}_manifest.json" >"$sums")
if [ -n "${GPG_FINGERPRINT:-}" ]; then
  gpg --batch --yes --local-user "$GPG_FINGERPRINT" --output "$out/$sums.sig" --detach-sign "$out/$sums"
  # The signature verifies, and is the named key's (its primary key's or a subkey's fingerprint).
  want=$(printf '%s' "$GPG_FINGERPRINT" | tr -d ' ' | tr 'a-f' 'A-F')
  status=$(gpg --batch --status-fd 1 --verify "$out/$sums.sig" "$out/$sums") || fail "the signature of $sums does not verify"
  printf '%s\n' "$status" | awk -v want="$want" '$2 == "VALIDSIG" && ($3 == want || $NF == want) { found = 1 } END { exit !found }' ||
    fail "the signature of $sums is not by $GPG_FINGERPRINT"
else
  say "WARNING: GPG_FINGERPRINT is not set: $sums is not signed (no $sums.sig)"
fi
echo "wrote to $out:"
(cd "$out" && ls -1 "${name}_${version}"_*)
