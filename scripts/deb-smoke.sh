#!/usr/bin/env bash
# The Debian packages as a user gets them: install migpkg_*.deb (and migpkg-dev_*.deb) with
# apt-get, then check what they hold where a user meets it: the files in the right package, the
# man pages (`man -l`) and completion equal to what the installed binary generates, the engine
# modules and migpkg-serve loaded from /usr/lib/migpkg, the README's main job (scripts/demo.sh)
# run with /usr/bin/migpkg, the HTTP server answering, and the example host of
# examples/embed built against the installed library (CMake and pkg-config). Every check stops
# the script with "deb-smoke FAILED: ..." and a non-zero exit. At the end the packages, and
# whatever apt-get installed for them, are purged again (MIGPKG_KEEP_INSTALLED=1 keeps them); a
# failed purge fails the script too. Not part of scripts/test.sh: building the packages takes
# long (docs/packaging.md).
#
# Usage: scripts/deb-smoke.sh [OUT]   OUT: where scripts/build-deb.sh put (or puts) the .deb files
#                                     (default ${TMPDIR:-/tmp}/migpkg-deb); built when missing
set -euo pipefail

log() { printf '[migpkg] %s\n' "$*" >&2; }
die() {
  log "deb-smoke FAILED: $*"
  exit 1
}

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
version=$(dpkg-deb -f "${debs[0]}" Version)

as_root=()
((EUID == 0)) || as_root=(sudo)
apt_get() {
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 "$@"
}
installed() { [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]; }

work=$(mktemp -d)
serve_pid=
added=()
cleanup() {
  local rc=$?
  [[ -z $serve_pid ]] || kill "$serve_pid" 2>/dev/null || true
  if [[ "${MIGPKG_KEEP_INSTALLED:-0}" != 1 && ${#added[@]} -gt 0 ]]; then
    log "purging what the install added: ${added[*]}"
    apt_get purge -y "${added[@]}" >"$work/purge.log" 2>&1 || cat "$work/purge.log" >&2
    local left=()
    for package in "${added[@]}"; do installed "$package" && left+=("$package"); done
    if ((${#left[@]} > 0)); then
      log "deb-smoke FAILED: still installed after the purge: ${left[*]}"
      rc=1
    fi
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT

for package in migpkg migpkg-dev; do
  installed "$package" && die "$package is installed already: apt-get purge $package first"
done
# What apt-get will install (the packages and any dependency missing here) is what the end purges.
mapfile -t added < <(apt_get install -s "${debs[@]}" "${dev_debs[@]}" |
  awk '$1 == "Inst" && $3 !~ /^\[/ { print $2 }')  # not upgrades: "Inst NAME [OLD] (NEW ...)"
log "apt-get install ${debs[*]##*/} ${dev_debs[*]##*/} (installs: ${added[*]})"
apt_get install -y "${debs[@]}" "${dev_debs[@]}" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; die "apt-get install failed"; }

bin=/usr/bin/migpkg
[[ -x $bin ]] || die "$bin is not installed"
"$bin" --version | grep -qF -- "${version%%-*}" || die "$bin --version does not print $version"

log "files and their packages"
triplet=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
expect_file() {  # PACKAGE PATH: PATH is installed and belongs to PACKAGE
  local owner
  [[ -e $2 ]] || die "$2 is not installed"
  owner=$(dpkg -S "$2" 2>/dev/null | cut -d: -f1) || true
  [[ $owner == "$1" ]] || die "$2 belongs to '${owner:-no package}', not $1"
}
for path in /usr/bin/migpkg /usr/lib/migpkg/migpkg-serve /usr/lib/migpkg/migpkg-postgresql.so \
  /usr/lib/migpkg/migpkg-mysql.so /usr/share/man/man1/migpkg.1.gz \
  /usr/share/bash-completion/completions/migpkg /usr/share/zsh/vendor-completions/_migpkg \
  /usr/share/migpkg/schemas/portable-migration-v1.schema.json; do
  expect_file migpkg "$path"
done
if ((${#dev_debs[@]} > 0)); then
  for path in /usr/include/migpkg/migpkg.hpp "/usr/lib/$triplet/libmigpkg.a" \
    "/usr/lib/$triplet/cmake/migpkg/migpkgConfig.cmake" "/usr/lib/$triplet/pkgconfig/migpkg.pc"; do
    expect_file migpkg-dev "$path"
  done
fi
diff -r "$ROOT/schemas" /usr/share/migpkg/schemas >&2 || die "installed schemas differ"
diff -r "$ROOT/editors" /usr/share/migpkg/editors >&2 || die "installed editors/ differs"

log "man pages: the set the binary generates, each shown by man -l without warnings"
mkdir "$work/man1"
"$bin" help --man "$work/man1"
generated=$(find "$work/man1" -name '*.1' -printf '%f\n' | LC_ALL=C sort)
shipped=$(dpkg -L migpkg | sed -n 's|^/usr/share/man/man1/\(.*\.1\)\.gz$|\1|p' | LC_ALL=C sort)
[[ -n $generated && $generated == "$shipped" ]] ||
  die "man pages: generated [${generated//$'\n'/ }], shipped [${shipped//$'\n'/ }]"
for page in $shipped; do
  zcat "/usr/share/man/man1/$page.gz" | cmp -s - "$work/man1/$page" || die "$page differs"
  MANWIDTH=80 man --warnings -l "/usr/share/man/man1/$page.gz" >"$work/page" 2>"$work/page.err" ||
    die "man -l $page failed: $(cat "$work/page.err")"
  [[ ! -s $work/page.err ]] || die "man -l $page warns: $(cat "$work/page.err")"
  grep -q '^NAME' "$work/page" || die "man -l $page shows no NAME section"
done
MANWIDTH=80 man migpkg-install | grep -- '--db' >/dev/null || die "man migpkg-install shows no --db"

log "completion: the installed scripts are the generated ones, and bash completes"
cmp -s /usr/share/bash-completion/completions/migpkg <("$bin" help --bash-completion) ||
  die "bash completion differs from migpkg help --bash-completion"
cmp -s /usr/share/zsh/vendor-completions/_migpkg <("$bin" help --zsh-completion) ||
  die "zsh completion differs from migpkg help --zsh-completion"
zsh -n /usr/share/zsh/vendor-completions/_migpkg || die "zsh cannot parse _migpkg"
complete_words() {  # WORD...: what bash offers for the last word
  bash -c 'source /usr/share/bash-completion/completions/migpkg && COMP_WORDS=("$@") &&
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && _migpkg && printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$@" | LC_ALL=C sort | tr '\n' ' '
}
offered=$(complete_words migpkg ins)
[[ $offered == "inspect install " ]] || die "bash completes 'migpkg ins' to: $offered"
offered=$(complete_words migpkg rollback --al)
[[ $offered == "--all " ]] || die "bash completes 'migpkg rollback --al' to: $offered"

log "engine modules from /usr/lib/migpkg"
# With the module loaded, an unreachable server is a connection error ("cannot connect to"); the
# same command with the module's path overridden to nothing gives the missing module's message.
for engine in postgresql:postgresql://127.0.0.1:1/none mysql:mysql://root@127.0.0.1:1/none; do
  name=${engine%%:*} url=${engine#*:}
  variable="MIGPKG_${name^^}_MODULE"
  message=$(env -u "$variable" "$bin" status --db "$url" 2>&1) && die "status on $url succeeded"
  grep -q "cannot connect to" <<<"$message" || die "$name module: $message"
  message=$(env "$variable=/nonexistent" "$bin" status --db "$url" 2>&1) &&
    die "status on $url succeeded without its module"
  grep -q 'support is not available' <<<"$message" ||
    die "without its module, status on $url says: $message"
done

log "the main job with $bin"
demo=$work/demo
MIGPKG_BIN=$bin MIGPKG_DEMO_DIR="$demo" bash "$ROOT/scripts/demo.sh" >"$work/demo.log" 2>&1 ||
  { tail -n 30 "$work/demo.log" >&2; die "scripts/demo.sh failed"; }
count() { sqlite3 "$1" 'SELECT count(*) FROM cur_currencies'; }
rows=$(count "$demo/data-source.db")
((rows > 0)) || die "the demo's data-source.db has no currencies"
[[ $(count "$demo/copied.db") == "$rows" ]] || die "copy did not bring the $rows currencies"

log "migpkg serve (migpkg-serve from /usr/lib/migpkg)"
db="sqlite:$demo/from-package.db"
token=$("$bin" token add smoke --role viewer --tokens "$work/tokens.json" |
  grep -o 'mgp_[0-9a-f]*') || true
[[ -n $token ]] || die "migpkg token add printed no token"
"$bin" serve --db "$db" --tokens "$work/tokens.json" --listen 127.0.0.1:0 >"$work/serve.log" 2>&1 &
serve_pid=$!
base=
for ((i = 0; i < 300; i++)); do
  base=$(grep -o 'listening on http://[0-9.:]*' "$work/serve.log" | cut -d' ' -f3) || true
  [[ -z $base ]] || break
  kill -0 "$serve_pid" 2>/dev/null || die "migpkg serve exited: $(cat "$work/serve.log")"
  sleep 0.1
done
[[ -n $base ]] || die "migpkg serve did not listen within 30 s: $(cat "$work/serve.log")"
[[ $(readlink "/proc/$serve_pid/exe") == /usr/lib/migpkg/migpkg-serve ]] ||
  die "the server runs $(readlink "/proc/$serve_pid/exe"), not /usr/lib/migpkg/migpkg-serve"
[[ $(curl -fsS "$base/healthz") == '{"status":"ok"}' ]] || die "GET /healthz"
served=$(curl -fsS -H "Authorization: Bearer $token" "$base/status" | jq -S .) ||
  die "GET /status failed"
[[ $served == "$("$bin" status --db "$db" --json | jq -S .)" ]] ||
  die "GET /status differs from migpkg status --json: $served"
jq -e '.plugins | length > 0' <<<"$served" >/dev/null || die "GET /status lists no plugin"
kill -TERM "$serve_pid"
wait "$serve_pid" || die "migpkg serve exited $? on SIGTERM"
serve_pid=
grep -q stopped "$work/serve.log" || die "migpkg serve did not say it stopped"

if ((${#dev_debs[@]} > 0)); then
  log "migpkg-dev: examples/embed against the installed library"
  expected="installed acme.currencies"
  if ! { cmake -S "$ROOT/examples/embed" -B "$work/embed" -G Ninja &&
    cmake --build "$work/embed"; } >"$work/embed.log" 2>&1; then
    cat "$work/embed.log" >&2
    die "examples/embed does not build with find_package(migpkg)"
  fi
  "$work/embed/embed" "$ROOT/packages/examples/currencies-dsl" "$work/embed.db" 2>/dev/null |
    grep "^$expected " >/dev/null || die "examples/embed (CMake) did not install acme.currencies"
  [[ $(pkg-config --modversion migpkg) == "${version%%-*}" ]] || die "pkg-config's version"
  # shellcheck disable=SC2046  # pkg-config's flags are words
  g++ -std=c++17 -o "$work/embed-pc" "$ROOT/examples/embed/main.cpp" \
    $(pkg-config --cflags --libs migpkg) || die "examples/embed does not link with migpkg.pc"
  "$work/embed-pc" "$ROOT/packages/examples/currencies-dsl" "$work/embed-pc.db" 2>/dev/null |
    grep "^$expected " >/dev/null || die "examples/embed (pkg-config) did not install it"
fi

log "deb-smoke OK: ${debs[*]##*/} ${dev_debs[*]##*/}"
