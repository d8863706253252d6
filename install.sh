#!/bin/sh
# Installs the `epic-events` binary of this machine from a release.
#
#   curl -fsSL https://github.com/epic-events/crm/releases/latest/download/install.sh | sh
#   sh install.sh [--dir DIR] [--version TAG]
#
# It picks the asset of this system and processor (uname), downloads it and
# SHA256SUMS with curl (or wget), refuses to install it unless its SHA-256 is
# the one SHA256SUMS gives, and only then runs it (`--version`) and moves it
# into DIR. Nothing is left behind on failure.
#
#   --dir DIR        where to install (default: EPIC_EVENTS_INSTALL_DIR, else
#                    /usr/local/bin as root, else ~/.local/bin)
#   --version TAG    a given release, e.g. v0.2.0 (default: the latest)
#   EPIC_EVENTS_RELEASE_URL   the release site, laid out as
#                    URL/latest/download/ASSET and URL/download/TAG/ASSET
#                    (default: https://github.com/epic-events/crm/releases;
#                    a mirror, or a local copy for testing)
#
# Asset names are those of tools/release.ts (the release workflow):
# epic-events-<target>, .exe for Windows; tests/install/ checks they agree.
set -eu

DEFAULT_RELEASE_URL="https://github.com/epic-events/crm/releases"

say() { printf 'install.sh: %s\n' "$*" >&2; }
die() {
  say "$*"
  exit 1
}
usage() {
  say "$1"
  say "usage: sh install.sh [--dir DIR] [--version TAG]"
  exit 2
}

base="${EPIC_EVENTS_RELEASE_URL:-$DEFAULT_RELEASE_URL}"
base="${base%/}"
dir="${EPIC_EVENTS_INSTALL_DIR:-}"
version="latest"

while [ $# -gt 0 ]; do
  case "$1" in
  --dir)
    [ $# -ge 2 ] && [ -n "$2" ] || usage "--dir needs a folder"
    dir="$2"
    shift 2
    ;;
  --dir=?*)
    dir="${1#--dir=}"
    shift
    ;;
  --version)
    [ $# -ge 2 ] && [ -n "$2" ] || usage "--version needs a release tag, e.g. v0.2.0"
    version="$2"
    shift 2
    ;;
  --version=?*)
    version="${1#--version=}"
    shift
    ;;
  -h | --help)
    sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0" 2>/dev/null || true
    exit 0
    ;;
  *) usage "unknown option: $1" ;;
  esac
done

case "$version" in
latest | v[0-9]*) ;;
*) usage "--version: expected a release tag such as v0.2.0, got \"$version\"" ;;
esac

# Passwords and binaries never cross a network in clear text: https only,
# except on this machine (a local mirror, the tests).
case "$base" in
https://*) ;;
http://127.0.0.1[:/]* | http://127.0.0.1 | http://localhost[:/]* | http://localhost | http://\[::1\]*) ;;
*) die "EPIC_EVENTS_RELEASE_URL must be an https:// URL (http:// only on 127.0.0.1, localhost or [::1]): $base" ;;
esac

if [ -z "$dir" ]; then
  if [ "$(id -u)" = 0 ]; then
    dir=/usr/local/bin
  else
    [ -n "${HOME:-}" ] || die "HOME is not set: give --dir"
    dir="$HOME/.local/bin"
  fi
fi

# uname -> the deno compile target of the release asset.
system=$(uname -s)
processor=$(uname -m)
case "$processor" in
x86_64 | amd64) arch=x86_64 ;;
aarch64 | arm64) arch=aarch64 ;;
*) die "no release binary for the processor \"$processor\" (x86_64 and arm64 only): install from source (README)" ;;
esac
exe=""
case "$system" in
Linux) target="$arch-unknown-linux-gnu" ;;
Darwin) target="$arch-apple-darwin" ;;
MINGW* | MSYS* | CYGWIN*)
  [ "$arch" = x86_64 ] || die "no release binary for Windows on \"$processor\" (x86_64 only)"
  target="x86_64-pc-windows-msvc"
  exe=".exe"
  ;;
*) die "no release binary for the system \"$system\" (Linux, macOS and Windows only): install from source (README)" ;;
esac
asset="epic-events-$target$exe"

if [ "$version" = latest ]; then
  url="$base/latest/download"
else
  url="$base/download/$version"
fi

if command -v curl >/dev/null 2>&1; then
  fetch() { curl -fsSL -o "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
  fetch() { wget -q -O "$2" "$1"; }
else
  die "needs curl or wget to download the release"
fi

if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$1" | cut -d' ' -f1; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$1" | cut -d' ' -f1; }
else
  die "needs sha256sum or shasum to check the download"
fi

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t epic-events-install)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "downloading $asset ($version) from $url"
fetch "$url/SHA256SUMS" "$tmp/SHA256SUMS" || die "cannot download $url/SHA256SUMS: no such release, or the site cannot be reached"
fetch "$url/$asset" "$tmp/$asset" || die "cannot download $url/$asset: this release has no binary for $target"

# The line of our asset in SHA256SUMS ("HEX  NAME", or "HEX *NAME"): exactly one.
expected=$(awk -v name="$asset" '$2 == name || $2 == "*" name { print $1 }' "$tmp/SHA256SUMS")
case "$expected" in
"") die "refusing to install: SHA256SUMS has no checksum for $asset" ;;
*[!0-9a-f]*) die "refusing to install: SHA256SUMS has more than one or a malformed checksum for $asset" ;;
esac
[ ${#expected} -eq 64 ] || die "refusing to install: SHA256SUMS has a malformed checksum for $asset"
actual=$(sha256 "$tmp/$asset")
[ "$actual" = "$expected" ] ||
  die "refusing to install: $asset does not match SHA256SUMS (expected $expected, got $actual)"

# Verified: only now may it run.
chmod 0755 "$tmp/$asset"
got=$("$tmp/$asset" --version) || die "the verified $asset does not run on this machine; nothing was installed"

mkdir -p "$dir" || die "cannot create the folder $dir"
cp "$tmp/$asset" "$dir/.epic-events$exe.new.$$" || die "cannot write into $dir (--dir to choose another folder)"
chmod 0755 "$dir/.epic-events$exe.new.$$"
mv -f "$dir/.epic-events$exe.new.$$" "$dir/epic-events$exe" || {
  rm -f "$dir/.epic-events$exe.new.$$"
  die "cannot replace $dir/epic-events$exe"
}
say "installed $dir/epic-events$exe ($got, $target)"
case ":${PATH:-}:" in
*":$dir:"*) ;;
*) say "$dir is not on your PATH: add  export PATH=\"$dir:\$PATH\"  to your shell's profile" ;;
esac
