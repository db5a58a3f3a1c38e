#!/usr/bin/env bash
# Install the Debian 12 packages migpkg needs to build and test, but only the missing ones.
#
# Runs at the start of every build/test, so the common case (everything installed) must stay
# well under a second: no apt-get call at all unless dpkg reports something missing.
#
# Environment:
#   MIGPKG_SKIP_DEPS=1   skip the check entirely (non-Debian hosts, or a caller already ran it)
#   MIGPKG_EXTRA_PACKAGES="a b"  more packages a caller needs (bench/run.sh: pgloader, time)
set -euo pipefail

# Never let a package's debconf prompt block an unattended build.
export DEBIAN_FRONTEND=noninteractive

# The toolchain's install line, plus libssl-dev (SHA-256 with the CPU's SHA extensions for
# checksums and backups; libpq-dev pulls it in anyway) and libjemalloc-dev (the executables'
# allocator, linked statically: see CMakeLists.txt), libzstd-dev (data sets' compressed table
# files, runtime/data/zstd_stream.cpp) and libmariadb-dev (MariaDB Connector/C, for the MySQL
# engine module migpkg-mysql.so).
PACKAGES=(
  build-essential cmake ninja-build pkg-config
  default-jre-headless antlr4 libantlr4-runtime-dev uuid-dev nlohmann-json3-dev
  libpqxx-dev libpq-dev postgresql-15 libsqlite3-dev sqlite3 libarchive-dev libsodium-dev libssl-dev
  libjemalloc-dev libzstd-dev
  catch2 minisign mariadb-server mariadb-client libmariadb-dev
)
# Debian's age: the tests check that migpkg's age files and age's open each other
# (tests/unit/test_age_cli.cpp), and bench/crypto_bench.sh measures against it.
PACKAGES+=(age)
# migpkg serve's HTTP server (cpp-httplib, a compiled library found with pkg-config), and the
# headless browser its status page is tested in (tests/unit/test_serve_page.cpp).
PACKAGES+=(libcpp-httplib-dev chromium)

# scripts/fuzz.sh adds clang-14 and libclang-rt-14-dev (libFuzzer) through MIGPKG_EXTRA_PACKAGES:
# about 400 MB that only fuzzing needs (the suite replays the fuzz targets in the gcc build).

# man (renders the generated man pages, tests/unit/test_reference_docs.cpp) and zsh (parses the
# generated zsh completion).
PACKAGES+=(man-db zsh)

# shellcheck disable=SC2206  # a space-separated list on purpose
PACKAGES+=(${MIGPKG_EXTRA_PACKAGES:-})

log() { printf '[migpkg] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

if [[ "${MIGPKG_SKIP_DEPS:-0}" == 1 ]]; then
  exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  die "dpkg-query not found: this script supports Debian 12 only. Install the equivalents of: ${PACKAGES[*]} (then set MIGPKG_SKIP_DEPS=1)"
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  # An unknown package makes dpkg-query fail with a message on stderr: that just means "missing".
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [[ "$status" != *"install ok installed"* ]]; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  log "all ${#PACKAGES[@]} required Debian packages are installed"
  exit 0
fi

log "missing Debian packages: ${missing[*]}"

# apt-get needs root. sudo resets the environment, so pass DEBIAN_FRONTEND through `env`.
as_root=()
if ((EUID != 0)); then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo env DEBIAN_FRONTEND=noninteractive)
  else
    die "not root and sudo is not available; as root run: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  fi
fi

# Another process (unattended-upgrades, a parallel job) may hold the dpkg/apt locks for a while:
# wait for them instead of failing straight away.
log "running apt-get update"
"${as_root[@]}" apt-get -o DPkg::Lock::Timeout=300 update
log "installing: ${missing[*]}"
"${as_root[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}"
log "installed ${#missing[@]} package(s)"
