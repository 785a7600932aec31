#!/bin/sh
# Install a released `handbook` binary (or build one from source) and put it on the PATH.
# Used by action.yml; runs anywhere with sh, curl, tar (unzip on Windows) and sha256sum or shasum.
#
#   install.sh resolve   print tag=, target=, dir= (the action appends them to $GITHUB_OUTPUT)
#   install.sh install   download, verify the SHA-256 against SHA256SUMS, unpack into dir/bin,
#                        add dir/bin to $GITHUB_PATH (a binary already in dir/bin is reused)
#
# Environment (all optional):
#   HANDBOOK_VERSION       v0.2.0 or 0.2.0, `latest`, or `source` (cargo install from the
#                          action's own checkout); empty: the action's ref when it is a
#                          version tag (uses: OWNER/handbook@v0.2.0), else latest
#   HANDBOOK_REPOSITORY    owner/name to download releases from; empty: the action's own
#                          repository (from its path under _actions/), else $GITHUB_REPOSITORY
#   HANDBOOK_RELEASES_URL  base URL of the releases (default $GITHUB_SERVER_URL/<repo>/releases);
#                          files are at <base>/download/<tag>/<file>, <base>/latest redirects
#                          to <base>/tag/<tag>
#   HANDBOOK_OS, HANDBOOK_ARCH   runner names (Linux, macOS, Windows; X64, ARM64);
#                          default $RUNNER_OS/$RUNNER_ARCH, else uname
#   HANDBOOK_INSTALL_DIR   where to install (default <tool cache>/handbook/<tag>/<target>)
#   HANDBOOK_SOURCE        the source folder for `source` (default the script's parent folder)
set -eu

die() {
  echo "install.sh: error: $*" >&2
  exit 1
}

# The Rust target and archive extension for a runner OS and architecture.
target_for() {
  os=$1 arch=$2
  case "$os" in
    Linux | linux) os=linux ;;
    macOS | Darwin | darwin | macos) os=macos ;;
    Windows | windows | MINGW* | MSYS* | CYGWIN*) os=windows ;;
    *) die "unsupported OS '$1'; release binaries exist for Linux, macOS and Windows" ;;
  esac
  case "$arch" in
    X64 | x64 | x86_64 | amd64 | AMD64) arch=x86_64 ;;
    ARM64 | arm64 | aarch64) arch=aarch64 ;;
    *) die "unsupported architecture '$2'; release binaries exist for X64 and ARM64" ;;
  esac
  case "$os-$arch" in
    linux-x86_64) echo "x86_64-unknown-linux-musl tar.gz" ;;
    linux-aarch64) echo "aarch64-unknown-linux-musl tar.gz" ;;
    macos-x86_64) echo "x86_64-apple-darwin tar.gz" ;;
    macos-aarch64) echo "aarch64-apple-darwin tar.gz" ;;
    windows-x86_64) echo "x86_64-pc-windows-msvc zip" ;;
    *) die "no release binary for $1 $2 (Windows is built for X64 only); use version: source" ;;
  esac
}

# owner/name and ref of the running action, from its path .../_actions/<owner>/<name>/<ref>.
action_part() {
  case "${GITHUB_ACTION_PATH:-}" in
    */_actions/*/*/*) ;;
    *) return 0 ;;
  esac
  rest=$(printf '%s' "$GITHUB_ACTION_PATH" | tr '\\' '/' | sed 's#.*/_actions/##')
  owner=${rest%%/*}
  rest=${rest#*/}
  name=${rest%%/*}
  ref=${rest#*/}
  ref=${ref%%/*}
  case "$1" in
    repository) echo "$owner/$name" ;;
    ref) echo "$ref" ;;
  esac
}

releases_url() {
  if [ -n "${HANDBOOK_RELEASES_URL:-}" ]; then
    echo "${HANDBOOK_RELEASES_URL%/}"
    return
  fi
  repo=${HANDBOOK_REPOSITORY:-}
  [ -n "$repo" ] || repo=$(action_part repository)
  [ -n "$repo" ] || repo=${GITHUB_REPOSITORY:-}
  [ -n "$repo" ] || die "no repository to download from: set HANDBOOK_REPOSITORY=owner/name"
  [ -n "${GITHUB_SERVER_URL:-}" ] || die "set GITHUB_SERVER_URL or HANDBOOK_RELEASES_URL"
  echo "${GITHUB_SERVER_URL%/}/$repo/releases"
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    die "neither sha256sum nor shasum is installed; cannot verify the download"
  fi
}

fetch() {
  command -v curl >/dev/null 2>&1 || die "curl is needed to download releases"
  curl --fail --silent --show-error --location --retry 3 --output "$2" "$1" ||
    die "download failed: $1"
}

# The tag to install: a version as given (v added), `latest` resolved through the redirect.
resolve_tag() {
  v=${HANDBOOK_VERSION:-}
  if [ -z "$v" ]; then
    ref=$(action_part ref)
    case "$ref" in
      v[0-9]*) v=$ref ;;
      *) v=latest ;;
    esac
  fi
  case "$v" in
    source) echo "source-$(source_hash)" ;;
    latest)
      base=$(releases_url)
      command -v curl >/dev/null 2>&1 || die "curl is needed to find the latest release"
      url=$(curl --fail --silent --show-error --location --retry 3 --output /dev/null \
        --write-out '%{url_effective}' "$base/latest") ||
        die "cannot find the latest release at $base/latest"
      case "$url" in
        */tag/*) echo "${url##*/tag/}" ;;
        *) die "$base has no release yet (latest went to $url); set version, or version: source" ;;
      esac
      ;;
    v[0-9]*) echo "$v" ;;
    [0-9]*) echo "v$v" ;;
    *) die "version '$v' is not a version (v0.2.0 or 0.2.0), latest, or source" ;;
  esac
}

source_dir() {
  if [ -n "${HANDBOOK_SOURCE:-}" ]; then
    echo "$HANDBOOK_SOURCE"
  else
    (cd "$(dirname "$0")/.." && pwd)
  fi
}

# A hash of what a source build depends on, so the cache survives note-only pushes.
source_hash() {
  src=$(source_dir)
  [ -f "$src/Cargo.toml" ] || die "version: source needs the sources; no Cargo.toml in $src"
  list=$(mktemp)
  (cd "$src" && find Cargo.toml Cargo.lock build.rs src templates static -type f 2>/dev/null |
    LC_ALL=C sort | while IFS= read -r f; do echo "$(sha256_of "$f") $f"; done) >"$list"
  h=$(sha256_of "$list")
  rm -f "$list"
  echo "$h" | cut -c1-16
}

install_dir() {
  tag=$1 target=$2
  if [ -n "${HANDBOOK_INSTALL_DIR:-}" ]; then
    echo "$HANDBOOK_INSTALL_DIR"
  else
    echo "${RUNNER_TOOL_CACHE:-${HOME:-/tmp}/.cache}/handbook/$tag/$target"
  fi
}

platform() {
  os=${HANDBOOK_OS:-${RUNNER_OS:-$(uname -s)}}
  arch=${HANDBOOK_ARCH:-${RUNNER_ARCH:-$(uname -m)}}
  target_for "$os" "$arch"
}

cmd_resolve() {
  p=$(platform)
  set -- $p
  target=$1
  tag=$(resolve_tag)
  echo "tag=$tag"
  echo "target=$target"
  echo "dir=$(install_dir "$tag" "$target")"
}

# Download the archive and SHA256SUMS, check the one against the other, unpack into $dir/bin.
download() {
  tag=$1 target=$2 ext=$3 dir=$4
  base=$(releases_url)
  name="handbook-$target.$ext"
  tmp=$(mktemp -d)
  echo "downloading $base/download/$tag/$name"
  fetch "$base/download/$tag/$name" "$tmp/$name"
  fetch "$base/download/$tag/SHA256SUMS" "$tmp/SHA256SUMS"
  want=$(awk -v n="$name" '{ f = $2; sub(/^\*/, "", f); if (f == n) print $1 }' "$tmp/SHA256SUMS")
  [ -n "$want" ] || die "SHA256SUMS of $tag has no line for $name; refusing to install"
  got=$(sha256_of "$tmp/$name")
  if [ "$want" != "$got" ]; then
    die "checksum mismatch for $name: SHA256SUMS says $want, the download is $got; refusing to install"
  fi
  echo "verified SHA-256 of $name: $got"
  mkdir -p "$tmp/x"
  case "$ext" in
    tar.gz) tar -xzf "$tmp/$name" -C "$tmp/x" ;;
    zip)
      if command -v unzip >/dev/null 2>&1; then
        unzip -q "$tmp/$name" -d "$tmp/x"
      else
        powershell -NoProfile -Command "Expand-Archive -Path '$tmp/$name' -DestinationPath '$tmp/x'"
      fi
      ;;
  esac
  exe=handbook
  [ "$ext" = zip ] && exe=handbook.exe
  bin="$tmp/x/handbook-$target/$exe"
  [ -f "$bin" ] || die "$name does not hold handbook-$target/$exe"
  mkdir -p "$dir/bin"
  cp "$bin" "$dir/bin/$exe"
  chmod +x "$dir/bin/$exe"
  rm -rf "$tmp"
}

cmd_install() {
  p=$(platform)
  set -- $p
  target=$1 ext=$2
  tag=${HANDBOOK_TAG:-}
  [ -n "$tag" ] || tag=$(resolve_tag)
  dir=${HANDBOOK_DIR:-}
  [ -n "$dir" ] || dir=$(install_dir "$tag" "$target")
  exe=handbook
  [ "$ext" = zip ] && exe=handbook.exe
  if [ -x "$dir/bin/$exe" ] && "$dir/bin/$exe" --version >/dev/null 2>&1; then
    echo "using the cached $("$dir/bin/$exe" --version) in $dir/bin"
  else
    case "$tag" in
      source-*)
        command -v cargo >/dev/null 2>&1 || die "version: source needs cargo (Rust) on the runner"
        cargo install --locked --path "$(source_dir)" --root "$dir"
        ;;
      *) download "$tag" "$target" "$ext" "$dir" ;;
    esac
  fi
  "$dir/bin/$exe" --version >/dev/null 2>&1 || die "$dir/bin/$exe does not run on this machine"
  if [ -n "${GITHUB_PATH:-}" ]; then
    echo "$dir/bin" >>"$GITHUB_PATH"
  fi
  echo "installed $("$dir/bin/$exe" --version) in $dir/bin"
}

case "${1:-}" in
  resolve) cmd_resolve ;;
  install) cmd_install ;;
  *) die "usage: install.sh resolve|install (see the comments at the top)" ;;
esac
