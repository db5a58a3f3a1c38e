#!/usr/bin/env bash
# The Debian package as a user gets it: install migpkg_*.deb with apt-get, then run the README's
# main job (scripts/demo.sh) with the installed /usr/bin/migpkg, and check what the package adds
# around the binary: the engine modules and migpkg-serve where migpkg finds them, the man pages,
# bash completion, the schemas. The package is removed again at the end (MIGPKG_KEEP_INSTALLED=1
# keeps it). Not part of scripts/test.sh: building the package takes minutes (docs/packaging.md).
#
# Usage: scripts/deb-smoke.sh [OUT]   OUT: where scripts/build-deb.sh put (or puts) the .deb files
#                                     (default ${TMPDIR:-/tmp}/migpkg-deb); built when missing
set -euo pipefail

log() { printf '[migpkg] %s\n' "$*" >&2; }
die() { log "deb-smoke FAILED: $*"; exit 1; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-${TMPDIR:-/tmp}/migpkg-deb}
shopt -s nullglob
debs=("$out"/migpkg_*.deb)
if ((${#debs[@]} == 0)); then
  bash "$ROOT/scripts/build-deb.sh" "$out"
  debs=("$out"/migpkg_*.deb)
fi
dev_debs=("$out"/migpkg-dev_*.deb)
shopt -u nullglob
((${#debs[@]} == 1)) || die "expected one migpkg_*.deb in $out, found ${#debs[@]}"

as_root=()
((EUID == 0)) || as_root=(sudo env DEBIAN_FRONTEND=noninteractive)
remove() {
  if [[ "${MIGPKG_KEEP_INSTALLED:-0}" != 1 ]]; then
    log "removing the packages"
    local installed=()
    for package in migpkg migpkg-dev; do
      dpkg-query -W "$package" >/dev/null 2>&1 && installed+=("$package")
    done
    ((${#installed[@]} == 0)) ||
      "${as_root[@]}" apt-get -o DPkg::Lock::Timeout=300 remove -y "${installed[@]}" >/dev/null ||
      log "warning: could not remove the packages"
  fi
}
trap remove EXIT

log "apt-get install ${debs[*]} ${dev_debs[*]}"
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y \
  "${debs[@]}" "${dev_debs[@]}"

bin=/usr/bin/migpkg
[[ -x $bin ]] || die "$bin is not installed"
"$bin" --version

log "man pages, completion and schemas"
for page in migpkg migpkg-install migpkg-rollback; do
  man -w "$page" >/dev/null || die "man cannot find $page"
  MANWIDTH=80 man "$page" | grep -q -- '--db' || die "man $page shows no --db"
done
offered=$(bash -c 'source /usr/share/bash-completion/completions/migpkg &&
  COMP_WORDS=(migpkg ins) COMP_CWORD=1 && _migpkg && printf "%s\n" "${COMPREPLY[@]}"' | LC_ALL=C sort)
[[ $offered == $'inspect\ninstall' ]] || die "bash completes 'migpkg ins' to: $offered"
[[ -f /usr/share/zsh/vendor-completions/_migpkg ]] || die "no zsh completion"
[[ -f /usr/share/migpkg/schemas/portable-migration-v1.schema.json ]] || die "no schemas"

# The engine modules load from /usr/lib/migpkg: a server that is not there is a connection
# error, not a missing module.
for url in postgresql://127.0.0.1:1/none mysql://root@127.0.0.1:1/none; do
  message=$("$bin" status --db "$url" 2>&1) && die "status on $url succeeded"
  if grep -q 'support is not available' <<<"$message"; then die "engine module for $url: $message"; fi
done

log "the main job with $bin"
MIGPKG_BIN=$bin MIGPKG_DEMO_DIR="$out/demo" bash "$ROOT/scripts/demo.sh"
log "deb-smoke OK: ${debs[*]##*/} ${dev_debs[*]##*/}"
