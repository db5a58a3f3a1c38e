#!/usr/bin/env bash
# Configure (once) and build migpkg with CMake + Ninja.
#
# Usage: scripts/build.sh [BUILD_DIR]
#   BUILD_DIR   default: <repo>/build. A relative path is taken relative to the caller's cwd.
# Environment:
#   MIGPKG_CMAKE_ARGS   extra configure arguments, e.g. "-DMIGPKG_SANITIZE=ON -DMIGPKG_WERROR=ON".
#                       Changing them re-runs the configure step on an existing build dir.
#   MIGPKG_SKIP_DEPS=1  do not check Debian packages (see install-deps.sh)
set -euo pipefail

log() { printf '[migpkg] %s\n' "$*" >&2; }

# Resolve the build dir against the caller's cwd *before* moving to the repo root.
build_dir=${1:-}
if [[ -n "$build_dir" && "$build_dir" != /* ]]; then
  build_dir="${PWD%/}/$build_dir"
fi

# Work from the repo root whatever the caller's cwd, so relative paths below are stable.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
build_dir=${build_dir:-$ROOT/build}

bash "$ROOT/scripts/install-deps.sh"

# Word-split MIGPKG_CMAKE_ARGS into an array (no globbing, no eval).
extra_args=()
if [[ -n "${MIGPKG_CMAKE_ARGS:-}" ]]; then
  read -r -a extra_args <<<"$MIGPKG_CMAKE_ARGS"
fi

# Configure only when needed: configuring is slow-ish and Ninja re-runs CMake by itself when
# CMakeLists.txt changes. But extra args given on a new run must not be silently ignored, so
# remember the last ones and reconfigure when they differ.
args_stamp="$build_dir/.migpkg-cmake-args"
old_args=$(cat "$args_stamp" 2>/dev/null || true)
if [[ ! -f "$build_dir/CMakeCache.txt" || ! -f "$build_dir/build.ninja" ]]; then
  log "configuring $build_dir${extra_args[*]:+ with ${extra_args[*]}}"
  cmake -S "$ROOT" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${extra_args[@]}"
  printf '%s\n' "${MIGPKG_CMAKE_ARGS:-}" >"$args_stamp"
elif [[ -n "${MIGPKG_CMAKE_ARGS:-}" && "$MIGPKG_CMAKE_ARGS" != "$old_args" ]]; then
  log "MIGPKG_CMAKE_ARGS changed; reconfiguring $build_dir with ${extra_args[*]}"
  cmake -S "$ROOT" -B "$build_dir" "${extra_args[@]}"
  printf '%s\n' "$MIGPKG_CMAKE_ARGS" >"$args_stamp"
elif [[ -z "${MIGPKG_CMAKE_ARGS:-}" && -n "$old_args" ]]; then
  # CMake caches options, so dropping an argument would not undo it: say so rather than pretend.
  log "note: $build_dir keeps its earlier MIGPKG_CMAKE_ARGS ($old_args); delete it for a default build"
fi

jobs=$(nproc 2>/dev/null || echo 2)
log "building in $build_dir with $jobs jobs"
cmake --build "$build_dir" -j"$jobs"
log "build OK: $build_dir"
