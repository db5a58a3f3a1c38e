#!/usr/bin/env bash
# Build migpkg's Debian packages (debian/, docs/packaging.md) outside the source tree and check
# them with lintian.
#
# The tracked and untracked-but-not-ignored files are copied to OUT/src/migpkg (a fixed path, so
# that ccache finds the previous build's objects), dpkg-buildpackage -us -uc -b builds there, and
# the .deb files land in OUT. Nothing is written to the source tree.
#
# Usage: scripts/build-deb.sh [OUT]      OUT default: ${TMPDIR:-/tmp}/migpkg-deb
# Environment:
#   MIGPKG_DEB_CMAKE_ARGS  extra configure arguments (default: ccache as the compiler launcher,
#                          when ccache is installed)
#   MIGPKG_SKIP_DEPS=1     do not install the build dependencies (see install-deps.sh)
set -euo pipefail

log() { printf '[migpkg] %s\n' "$*" >&2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-${TMPDIR:-/tmp}/migpkg-deb}
mkdir -p "$out"
out=$(cd "$out" && pwd)
case "$out/" in
  "$ROOT"/*) log "error: OUT ($out) must be outside the source tree"; exit 2 ;;
esac

# The packaging tools come on top of the build's own dependencies.
MIGPKG_EXTRA_PACKAGES="debhelper lintian dpkg-dev ${MIGPKG_EXTRA_PACKAGES:-}" \
  bash "$ROOT/scripts/install-deps.sh"

src="$out/src/migpkg"
log "copying the source tree to $src"
rm -rf "$src"
mkdir -p "$src"
# Every file git knows or would add, but not build trees or other ignored files.
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
  tar --null -T - -cf -) | (cd "$src" && tar -xf -)

if [[ -z "${MIGPKG_DEB_CMAKE_ARGS+set}" ]] && command -v ccache >/dev/null 2>&1; then
  MIGPKG_DEB_CMAKE_ARGS="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache"
fi
export MIGPKG_DEB_CMAKE_ARGS=${MIGPKG_DEB_CMAKE_ARGS:-}
# debhelper 13 gives the build a HOME of its own inside the tree, so ccache would use (and dh_clean
# delete) a cache there: keep the user's cache and configuration (with CCACHE_DIR alone, ccache
# would read CCACHE_DIR/ccache.conf and apply its default max_size to the shared cache).
if command -v ccache >/dev/null 2>&1; then
  CCACHE_DIR=$(ccache -k cache_dir)
  export CCACHE_DIR
  ccache_conf=${XDG_CONFIG_HOME:-$HOME/.config}/ccache/ccache.conf
  if [[ -z "${CCACHE_CONFIGPATH:-}" && -f $ccache_conf ]]; then
    export CCACHE_CONFIGPATH=$ccache_conf
  fi
fi

# migpkg-dev carries the public API (include/migpkg/); a tree without it builds migpkg alone.
profiles=()
if [[ ! -d "$src/include/migpkg" ]]; then
  log "no include/migpkg/ in the tree: building without migpkg-dev (profile pkg.migpkg.noapi)"
  profiles=(-Ppkg.migpkg.noapi)
fi

rm -f "$out"/migpkg*.deb "$out"/migpkg*.ddeb "$out"/migpkg_*.changes "$out"/migpkg_*.buildinfo
log "building in $src"
(cd "$src" && dpkg-buildpackage -us -uc -b "${profiles[@]}")
# dpkg-buildpackage writes the results beside the source directory: the packages, the debug
# symbols (migpkg-dbgsym, migpkg-dev-dbgsym: .ddeb) and the .changes that lists them all.
shopt -s nullglob
mv "$out"/src/migpkg*.deb "$out"/src/migpkg*.ddeb "$out"/src/migpkg_*.changes \
  "$out"/src/migpkg_*.buildinfo "$out"/
shopt -u nullglob

log "lintian"
changes=$(ls "$out"/migpkg_*.changes)
# Every error or warning fails the build, but one: migpkg-dbgsym, which debhelper makes and
# which copies migpkg's Static-Built-Using field, reports bookworm's lintian not knowing that
# field, as migpkg and migpkg-dev do; those two override it, but a -dbgsym package carries no
# overrides of its own (docs/packaging.md, "lintian").
accepted='W: migpkg-dbgsym: unknown-field Static-Built-Using'
report=$(lintian --fail-on none --info --display-info "$changes")
printf '%s\n' "$report"
unexplained=$(printf '%s\n' "$report" | grep -E '^[EW]: ' | grep -v -x -F "$accepted" || true)
if [[ -n "$unexplained" ]]; then
  log "lintian reported errors or warnings that docs/packaging.md does not explain:"
  printf '%s\n' "$unexplained" >&2
  exit 1
fi
log "built: $(cd "$out" && ls migpkg*.deb | tr '\n' ' ')in $out"
