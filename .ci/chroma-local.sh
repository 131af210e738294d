#!/usr/bin/env bash
# Runs a real Chroma server (v2 HTTP API) from the npm registry, without Docker.
#
#   .ci/chroma-local.sh PORT DATA_DIR   install if needed, then exec the server in the foreground
#                                       (the caller's process handle IS the server; it listens on 127.0.0.1:PORT)
#   .ci/chroma-local.sh --install-only  install if needed, then exit 0
#
# The npm package `chromadb` ships the Chroma server (Rust) in its optional dependency
# `chromadb-js-bindings-<platform>`. The Linux build needs glibc >= 2.38; on older systems (Debian 12 has 2.36)
# the script extracts libc6, libgcc-s1 and libstdc++6 from Debian 13 "trixie" into a private folder and starts node
# through that folder's dynamic loader. The system's apt state and libraries are never modified.
#
# Everything is cached in ${DOCQA_CACHE_DIR:-<repo root>/.cache}/chroma (git-ignored), guarded by flock so that
# concurrent callers install only once. Each part is built in a temporary folder and renamed into place only after
# it is complete, so an interrupted install is simply redone on the next call.
#
# Environment:
#   DOCQA_CACHE_DIR       cache root (default: <repo root>/.cache)
#   DOCQA_DEBIAN_MIRROR   Debian mirror for the private glibc (default: the mirror in /etc/apt/sources.list*)
#   DOCQA_CHROMA_FORCE_PRIVATE_GLIBC=1  use the private glibc even if the system's is new enough (testing)
#
# Stopping: SIGTERM and SIGINT end the server within ~0.1-1 s (see SIGTERM_HOOK below); SIGKILL always works.
set -euo pipefail

CHROMADB_NPM_VERSION=3.5.0      # npm package `chromadb` (its server reports version 1.0.0)
CHROMADB_BINDINGS_VERSION=1.3.4 # its optional native dependency, pinned through npm "overrides"
MIN_GLIBC=2.38
DEBIAN_SUITE=trixie
DEBIAN_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
GLIBC_PACKAGES=(libc6 libgcc-s1 libstdc++6)
LOCK_TIMEOUT_SECONDS=900

log() { printf '[chroma-local] %s\n' "$*" >&2; }
die() { printf '[chroma-local] ERROR: %s\n' "$*" >&2; exit 1; }
usage() {
  cat >&2 <<EOF
usage: $0 PORT DATA_DIR     install (once, cached) and run Chroma on 127.0.0.1:PORT, storing data in DATA_DIR
       $0 --install-only    install (once, cached) and exit
EOF
  exit 2
}

# ---------------------------------------------------------------------------------------------------- arguments
MODE=run
PORT=
DATA_DIR=
case "${1:-}" in
  --install-only)
    [ $# -eq 1 ] || usage
    MODE=install ;;
  -h|--help) usage ;;
  *)
    [ $# -eq 2 ] || usage
    PORT=$1
    DATA_DIR=$2
    [[ $PORT =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1 ] && [ "$PORT" -le 65535 ] || die "PORT must be a number in 1..65535, got '$PORT'"
    [ -n "$DATA_DIR" ] || die "DATA_DIR must not be empty" ;;
esac

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
CACHE_ROOT=${DOCQA_CACHE_DIR:-$REPO_ROOT/.cache}
mkdir -p "$CACHE_ROOT/chroma" || die "cannot create cache folder $CACHE_ROOT/chroma"
CACHE_DIR=$(cd "$CACHE_ROOT/chroma" && pwd)

NPM_DIR=$CACHE_DIR/npm-chromadb-$CHROMADB_NPM_VERSION
GLIBC_ROOT=$CACHE_DIR/glibc-$DEBIAN_SUITE
APT_DIR=$CACHE_DIR/apt-$DEBIAN_SUITE
COMPLETE_MARKER=.docqa-complete

NODE=$(command -v node) || die "node is not installed (Node.js 18+ is needed; e.g. apt-get install nodejs npm)"

# ---------------------------------------------------------------------------------------------------- locking
LOCK_HELD=0
acquire_lock() {
  [ "$LOCK_HELD" = 1 ] && return 0
  command -v flock >/dev/null || die "flock is not installed (package util-linux)"
  exec 9>"$CACHE_DIR/.lock"
  if ! flock -n 9; then
    log "another process is installing into $CACHE_DIR; waiting for it (up to ${LOCK_TIMEOUT_SECONDS}s)"
    flock -w "$LOCK_TIMEOUT_SECONDS" 9 || die "timed out waiting for the lock $CACHE_DIR/.lock"
  fi
  LOCK_HELD=1
  # Leftovers of installs that were killed (only a lock holder creates these, so none is in use now).
  rm -rf "$CACHE_DIR"/.npm-tmp.* "$CACHE_DIR"/.glibc-tmp.*
}
release_lock() {
  if [ "$LOCK_HELD" = 1 ]; then
    flock -u 9 || true
    exec 9>&-
    LOCK_HELD=0
  fi
}

TMP_DIRS=()
cleanup() { local d; for d in "${TMP_DIRS[@]}"; do rm -rf "$d"; done; }
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------------- 1. npm package
find_binding_dir() { # prints the installed native binding package folder, if any
  local d
  for d in "$1"/node_modules/chromadb-js-bindings-*; do
    [ -d "$d" ] && { printf '%s\n' "$d"; return 0; }
  done
  return 1
}

install_npm() {
  [ -f "$NPM_DIR/$COMPLETE_MARKER" ] && return 0
  acquire_lock
  [ -f "$NPM_DIR/$COMPLETE_MARKER" ] && return 0
  command -v npm >/dev/null || die "npm is not installed"
  rm -rf "$NPM_DIR" # an earlier attempt without the marker
  local tmp=$CACHE_DIR/.npm-tmp.$$ started=$SECONDS
  TMP_DIRS+=("$tmp")
  rm -rf "$tmp" && mkdir -p "$tmp"
  cat >"$tmp/package.json" <<EOF
{
  "name": "docqa-chroma-local",
  "private": true,
  "description": "Chroma server for docqa's tests, installed by .ci/chroma-local.sh",
  "dependencies": { "chromadb": "$CHROMADB_NPM_VERSION" },
  "overrides": {
    "chromadb-js-bindings-linux-x64-gnu": "$CHROMADB_BINDINGS_VERSION",
    "chromadb-js-bindings-linux-arm64-gnu": "$CHROMADB_BINDINGS_VERSION",
    "chromadb-js-bindings-darwin-arm64": "$CHROMADB_BINDINGS_VERSION",
    "chromadb-js-bindings-darwin-x64": "$CHROMADB_BINDINGS_VERSION",
    "chromadb-js-bindings-win32-x64-msvc": "$CHROMADB_BINDINGS_VERSION"
  }
}
EOF
  log "installing npm package chromadb@$CHROMADB_NPM_VERSION (with its native server, ~50 MB) into $NPM_DIR"
  (cd "$tmp" && npm install --include=optional --no-audit --no-fund --no-progress --loglevel=warn >&2) \
    || die "npm install chromadb@$CHROMADB_NPM_VERSION failed (is the npm registry reachable?)"
  [ -f "$tmp/node_modules/chromadb/dist/cli.mjs" ] || die "npm installed chromadb but node_modules/chromadb/dist/cli.mjs is missing"
  local binding
  binding=$(find_binding_dir "$tmp") \
    || die "npm did not install the native server package chromadb-js-bindings-* for $(uname -sm) (optional dependencies omitted? check 'npm config get omit')"
  log "native server package: $(basename "$binding")@$(cd "$binding" && "$NODE" -p 'require("./package.json").version')"
  date -u +%FT%TZ >"$tmp/$COMPLETE_MARKER"
  mv "$tmp" "$NPM_DIR" || die "cannot move $tmp to $NPM_DIR"
  log "npm install done in $((SECONDS - started))s"
}

# ---------------------------------------------------------------------------------------------------- 2. glibc
system_glibc_version() { # prints e.g. 2.36, or nothing when the C library is not glibc (macOS, musl)
  local v
  v=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}') || true
  if [ -z "$v" ]; then
    v=$(ldd --version 2>/dev/null | head -n1 | grep -oE '[0-9]+\.[0-9]+' | tail -n1) || true
  fi
  printf '%s' "$v"
}

version_lt() { # version_lt A B: true when A < B
  [ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$1" ]
}

needs_private_glibc() {
  [ "${DOCQA_CHROMA_FORCE_PRIVATE_GLIBC:-0}" = 1 ] && return 0
  [ "$(uname -s)" = Linux ] || return 1
  local v
  v=$(system_glibc_version)
  [ -n "$v" ] || return 1 # not glibc: nothing we can do here; let the server try
  version_lt "$v" "$MIN_GLIBC"
}

debian_mirror() { # the Debian archive mirror this machine's apt uses (never the security archive)
  if [ -n "${DOCQA_DEBIAN_MIRROR:-}" ]; then printf '%s' "${DOCQA_DEBIAN_MIRROR%/}"; return; fi
  local files=() f uri
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && files+=("$f")
  done
  if [ ${#files[@]} -gt 0 ]; then
    uri=$( { sed -n -E 's/^[[:space:]]*URIs:[[:space:]]*//p' "${files[@]}" | tr -s ' \t' '\n'
             sed -n -E 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' "${files[@]}"
           } | grep -E '^https?://' | grep -E '/debian/?$' | grep -v -- '-security' | head -n1) || true
  fi
  uri=${uri:-http://deb.debian.org/debian}
  printf '%s' "${uri%/}"
}

find_loader() { # prints the x86-64/aarch64 dynamic loader inside the private root (a real file, not the system's)
  local root=$1 c
  for c in "$root"/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$root"/usr/lib64/ld-linux-x86-64.so.2 \
           "$root"/usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1 "$root"/usr/lib/ld-linux-aarch64.so.1; do
    # -e on a dangling or absolute symlink would fall back to the system's file: resolve it inside the root
    if [ -L "$c" ]; then
      local target
      target=$(readlink "$c")
      case "$target" in /*) c=$root$target ;; *) c=$(dirname "$c")/$target ;; esac
    fi
    [ -f "$c" ] && [ ! -L "$c" ] && { printf '%s\n' "$c"; return 0; }
  done
  return 1
}

glibc_libdir() {
  case "$(uname -m)" in
    x86_64) printf '%s' "$1/usr/lib/x86_64-linux-gnu" ;;
    aarch64) printf '%s' "$1/usr/lib/aarch64-linux-gnu" ;;
    *) die "unsupported machine $(uname -m) for the private glibc" ;;
  esac
}

install_glibc() {
  [ -f "$GLIBC_ROOT/$COMPLETE_MARKER" ] && return 0
  acquire_lock
  [ -f "$GLIBC_ROOT/$COMPLETE_MARKER" ] && return 0
  command -v apt-get >/dev/null && command -v dpkg >/dev/null \
    || die "system glibc $(system_glibc_version) is older than $MIN_GLIBC and this is not a Debian/Ubuntu system (no apt-get/dpkg): run Chroma another way (Docker image chromadb/chroma) and pass its URL"
  [ -r "$DEBIAN_KEYRING" ] || die "$DEBIAN_KEYRING is missing (package debian-archive-keyring)"
  rm -rf "$GLIBC_ROOT"
  local started=$SECONDS mirror arch
  mirror=$(debian_mirror)
  arch=$(dpkg --print-architecture)
  log "system glibc $(system_glibc_version) < $MIN_GLIBC: preparing a private glibc from Debian $DEBIAN_SUITE ($mirror) in $GLIBC_ROOT"

  # A private apt configuration: own sources list, package lists, cache and (empty) dpkg status.
  rm -rf "$APT_DIR"
  mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial" "$APT_DIR/sources.list.d" "$APT_DIR/preferences.d" "$APT_DIR/debs"
  : >"$APT_DIR/status"
  printf 'deb [arch=%s signed-by=%s] %s %s main\n' "$arch" "$DEBIAN_KEYRING" "$mirror" "$DEBIAN_SUITE" >"$APT_DIR/sources.list"
  local apt_opts=(
    -o "Dir::Etc::SourceList=$APT_DIR/sources.list"
    -o "Dir::Etc::SourceParts=$APT_DIR/sources.list.d"
    -o "Dir::Etc::Preferences=$APT_DIR/preferences"
    -o "Dir::Etc::PreferencesParts=$APT_DIR/preferences.d"
    -o "Dir::State::Lists=$APT_DIR/lists"
    -o "Dir::State::status=$APT_DIR/status"
    -o "Dir::State::extended_states=$APT_DIR/extended_states"
    -o "Dir::Cache=$APT_DIR/cache"
    -o "Dir::Cache::pkgcache=$APT_DIR/cache/pkgcache.bin"
    -o "Dir::Cache::srcpkgcache=$APT_DIR/cache/srcpkgcache.bin"
    -o "APT::Architecture=$arch"
    -o "APT::Architectures=$arch"
    -o "Acquire::Languages=none"
    -o "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false"
    -o "APT::Get::List-Cleanup=true"
    -o "Debug::NoLocking=true"
    -o "APT::Sandbox::User=$(id -un)" # download as ourselves into our own folders (no _apt sandbox warning)
  )
  log "apt-get update ($DEBIAN_SUITE, private lists in $APT_DIR)"
  apt-get "${apt_opts[@]}" -q --error-on=any update >&2 || die "apt-get update for Debian $DEBIAN_SUITE failed (mirror $mirror; set DOCQA_DEBIAN_MIRROR to another one)"
  log "apt-get download ${GLIBC_PACKAGES[*]}"
  (cd "$APT_DIR/debs" && apt-get "${apt_opts[@]}" -q download "${GLIBC_PACKAGES[@]}" >&2) \
    || die "apt-get download ${GLIBC_PACKAGES[*]} from Debian $DEBIAN_SUITE failed"

  local tmp=$CACHE_DIR/.glibc-tmp.$$ deb
  TMP_DIRS+=("$tmp")
  rm -rf "$tmp" && mkdir -p "$tmp"
  for deb in "$APT_DIR"/debs/*.deb; do
    log "extracting $(basename "$deb")"
    dpkg -x "$deb" "$tmp" || die "dpkg -x $deb failed"
  done
  local loader libdir
  loader=$(find_loader "$tmp") || die "no dynamic loader found in the extracted $DEBIAN_SUITE libc6"
  libdir=$(glibc_libdir "$tmp")
  [ -f "$libdir/libc.so.6" ] && [ -e "$libdir/libstdc++.so.6" ] && [ -e "$libdir/libgcc_s.so.1" ] \
    || die "the extracted packages lack libc.so.6, libstdc++.so.6 or libgcc_s.so.1 in $libdir"
  # Check that node really starts through the private loader before declaring the install complete.
  "$loader" --library-path "$libdir" "$NODE" -e 'process.exit(0)' \
    || die "node does not start through the private glibc ($loader)"
  log "private glibc: $("$loader" --version 2>/dev/null | head -n1)"
  (cd "$APT_DIR/debs" && ls -1 -- *.deb) >"$tmp/.docqa-packages"
  date -u +%FT%TZ >"$tmp/$COMPLETE_MARKER"
  mv "$tmp" "$GLIBC_ROOT" || die "cannot move $tmp to $GLIBC_ROOT"
  rm -rf "$APT_DIR/debs" "$APT_DIR/cache" # keep only the small lists
  log "private glibc ready in $((SECONDS - started))s"
}

# ---------------------------------------------------------------------------------------------------- main
install_npm
USE_PRIVATE_GLIBC=0
if needs_private_glibc; then
  USE_PRIVATE_GLIBC=1
  install_glibc
fi
release_lock

if [ "$MODE" = install ]; then
  log "installed: chromadb@$CHROMADB_NPM_VERSION in $NPM_DIR$([ $USE_PRIVATE_GLIBC = 1 ] && printf ', private glibc in %s' "$GLIBC_ROOT")"
  exit 0
fi

CLI=$NPM_DIR/node_modules/chromadb/dist/cli.mjs
[ -f "$CLI" ] || die "$CLI is missing; delete $NPM_DIR and retry"
mkdir -p "$DATA_DIR" || die "cannot create DATA_DIR $DATA_DIR"
DATA_DIR=$(cd "$DATA_DIR" && pwd)

trap - EXIT
cleanup
# The CLI binds to localhost by default; --host is passed explicitly so that only loopback is ever used.
SERVER_ARGS=("$CLI" run --path "$DATA_DIR" --host 127.0.0.1 --port "$PORT")
# On SIGTERM the bare server stops answering, spins a CPU core and never exits (observed > 13 min), while cli.mjs
# exits at once on SIGINT through a process.on("SIGINT") handler. The same handler for SIGTERM, preloaded with
# --import (Node >= 18.19 / 20.6), makes SIGTERM (Java's Process.destroy(), CI cleanup) stop it in ~0.1 s.
SIGTERM_HOOK='data:text/javascript,process.on("SIGTERM",()=>process.exit(0))'
if "$NODE" --import "$SIGTERM_HOOK" -e 0 >/dev/null 2>&1; then
  SERVER_ARGS=(--import "$SIGTERM_HOOK" "${SERVER_ARGS[@]}")
else
  log "node $("$NODE" --version) lacks --import: SIGTERM will not stop the server, use SIGINT or SIGKILL"
fi
if [ "$USE_PRIVATE_GLIBC" = 1 ]; then
  LOADER=$(find_loader "$GLIBC_ROOT") || die "no dynamic loader in $GLIBC_ROOT; delete it and retry"
  log "starting Chroma on 127.0.0.1:$PORT (data: $DATA_DIR) with the private glibc"
  exec "$LOADER" --library-path "$(glibc_libdir "$GLIBC_ROOT")" "$NODE" "${SERVER_ARGS[@]}"
else
  log "starting Chroma on 127.0.0.1:$PORT (data: $DATA_DIR)"
  exec "$NODE" "${SERVER_ARGS[@]}"
fi
