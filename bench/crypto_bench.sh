# The crypto benchmark (bench/README.md, "Crypto"): sourced by bench/run.sh, which provides
# measure-style helpers, median and record. No database: one generated file, encrypted and
# decrypted in the age format by migpkg and by Debian's age, recipient mode (X25519).
#
#   encrypt CRYPTO_MB of random-looking bytes   migpkg encrypt -r  vs  age -e -r   <= 1.2x
#   decrypt it                                  migpkg decrypt -i  vs  age -d -i   <= 1.2x
#   peak RSS of migpkg encrypt / decrypt, CRYPTO_SMALL_MB vs CRYPTO_MB             flat (<= 1.2x)
#   peak RSS and user+sys CPU of both tools                                        context rows
# Each decryption is checked against the original (cmp); a difference ends the run.
# shellcheck shell=bash

CRYPTO_MB=${BENCH_CRYPTO_MB:-1024}
CRYPTO_SMALL_MB=${BENCH_CRYPTO_SMALL_MB:-100}
CRYPTO_LIMIT=1.2

# A file of N MiB that compresses like ciphertext (nothing to gain from patterns): AES-CTR of
# zeros by openssl is ~1 GB/s, /dev/urandom is slower on small VMs.
crypto_input() { # crypto_input FILE MB
  if command -v openssl >/dev/null; then
    head -c "$(($2 * 1048576))" /dev/zero |
      openssl enc -aes-128-ctr -nosalt -pass pass:migpkg-bench -pbkdf2 -iter 1 2>/dev/null >"$1"
  else
    head -c "$(($2 * 1048576))" /dev/urandom >"$1"
  fi
}

# Waits (at most 10 s) until the scratch directory's disk has done no I/O for half a second:
# deleting a 1 GiB file on a filesystem mounted with `discard` (this VM's ext4) sends discards
# to the disk for seconds after the `rm` and the `sync` returned, and they slowed whichever run
# came next. Nothing to wait for on tmpfs.
disk_idle() { # disk_idle DIR
  local device stat before after quiet=0 i
  device=$(df --output=source -- "$1" 2>/dev/null | tail -n1)
  stat="/sys/class/block/$(basename -- "$device")/stat"
  [[ -r "$stat" ]] || return 0
  before=$(<"$stat")
  for ((i = 0; i < 40; i++)); do
    sleep 0.25
    after=$(<"$stat")
    if [[ "$after" == "$before" ]]; then
      ((++quiet >= 2)) && return 0
    else
      quiet=0
    fi
    before=$after
  done
}

# The same starting point for every run, whichever tool ran before (untimed): every output a
# run wrote is written back and dropped from the page cache (posix_fadvise DONTNEED, through
# dd's nocache flag), so no run finds the cache full of another's pages to reclaim; the run's
# own output is deleted and the disk left to go idle (disk_idle); the input is read into the
# cache, so neither tool pays for reading it from the disk.
crypto_settle() { # crypto_settle INPUT OUTPUT [OTHER_OUTPUTS...]
  local input=$1 output=$2 file
  shift
  for file in "$@"; do
    [[ -f "$file" ]] || continue
    sync -- "$file"
    dd if="$file" iflag=nocache count=0 status=none
  done
  rm -f -- "$output"
  sync
  disk_idle "$(dirname -- "$output")"
  cat -- "$input" >/dev/null
}

# crypto_time NAME INPUT OUTPUT -- CMD...: runs CMD; sets ELAPSED (wall s), CPU (user+sys s),
# PEAK_KB. Both tools' outputs are durable inside the timing (migpkg fsyncs before its rename;
# age_durable fsyncs age's output), and each run starts settled (crypto_settle).
CPU=0
crypto_time() {
  local name=$1 input=$2 output=$3
  shift 3
  [[ "$1" == -- ]] && shift
  local out="$LOGS/$name.log" stats="$LOGS/$name.time" rc=0
  crypto_settle "$input" "$output" "$dir/m.age" "$dir/a.age" "$dir/m.out" "$dir/a.out"
  /usr/bin/time -f '%e %U %S %M' -o "$stats" "$@" >"$out" 2>&1 || rc=$?
  if ((rc != 0)); then
    log "'$name' failed (exit $rc): $*"
    tail -n 30 "$out" >&2
    exit 1
  fi
  read -r ELAPSED user sys PEAK_KB < <(tail -n1 "$stats")
  CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  printf '%s %s cpu %s rss %s\n' "$name" "$ELAPSED" "$CPU" "$PEAK_KB" >>"$LOGS/times.txt"
}

# age ARGS... -o OUT ..., then fsync of OUT. Run through `bash -c` under GNU time, which
# reports the CPU of the whole tree and the largest RSS in it (age's).
age_durable() {
  local out="" previous=""
  for arg in "$@"; do
    [[ "$previous" == -o ]] && out=$arg
    previous=$arg
  done
  age "$@" && sync -- "$out"
}
export -f age_durable

# One repeat of each tool at SIZE; appends to bench_crypto's arrays.
crypto_migpkg() { # crypto_migpkg SIZE REP
  local size=$1 rep=$2
  crypto_time "crypto-encrypt-migpkg-$size-$rep" "$dir/plain" "$dir/m.age" -- "$MIGPKG" encrypt --force -r "$recipient" -o "$dir/m.age" "$dir/plain"
  if [[ "$size" == "$CRYPTO_MB" ]]; then me+=("$ELAPSED") mec+=("$CPU") mer+=("$PEAK_KB"); else me_small_r+=("$PEAK_KB"); fi
  crypto_time "crypto-decrypt-migpkg-$size-$rep" "$dir/m.age" "$dir/m.out" -- "$MIGPKG" decrypt --force -i "$dir/id.txt" -o "$dir/m.out" "$dir/m.age"
  if [[ "$size" == "$CRYPTO_MB" ]]; then md+=("$ELAPSED") mdc+=("$CPU") mdr+=("$PEAK_KB"); else md_small_r+=("$PEAK_KB"); fi
  cmp -s "$dir/plain" "$dir/m.out" || die "migpkg decrypt did not give back the $size MiB file"
}

crypto_age() { # crypto_age SIZE REP
  local size=$1 rep=$2
  rm -f "$dir/a.age" "$dir/a.out"
  # age does not fsync its output; migpkg does before renaming it into place. `sync FILE`
  # (fsync of that file) after age makes both sides durable, as a backup must be.
  crypto_time "crypto-encrypt-age-$size-$rep" "$dir/plain" "$dir/a.age" -- bash -c 'age_durable "$@"' age -e -r "$recipient" -o "$dir/a.age" "$dir/plain"
  ae+=("$ELAPSED") aec+=("$CPU") aer+=("$PEAK_KB")
  crypto_time "crypto-decrypt-age-$size-$rep" "$dir/a.age" "$dir/a.out" -- bash -c 'age_durable "$@"' age -d -i "$dir/id.txt" -o "$dir/a.out" "$dir/a.age"
  ad+=("$ELAPSED") adc+=("$CPU") adr+=("$PEAK_KB")
  cmp -s "$dir/plain" "$dir/a.out" || die "age -d did not give back the file"
}

bench_crypto() {
  command -v age >/dev/null || die "age not found (scripts/install-deps.sh installs it)"
  [[ -x /usr/bin/time ]] || die "the crypto benchmark needs GNU time (Debian package time) for CPU and RSS"
  local dir="$WORK/crypto" size
  mkdir -p "$dir"
  "$MIGPKG" keygen --age -o "$dir/id.txt" >"$LOGS/crypto-keygen.log"
  local recipient
  recipient=$(age-keygen -y "$dir/id.txt")
  local -a me md ae ad mec mdc aec adc mer mdr aer adr me_small_r md_small_r
  for size in "$CRYPTO_SMALL_MB" "$CRYPTO_MB"; do
    log "crypto: generating $size MiB"
    crypto_input "$dir/plain" "$size"
    for rep in $(seq 1 "$REPEAT"); do
      rm -f "$dir/m.age" "$dir/a.age" "$dir/m.out" "$dir/a.out"
      # Alternating which tool goes first, so that neither always runs on a warmer cache.
      if ((rep % 2)); then crypto_migpkg "$size" "$rep"; fi
      if [[ "$size" == "$CRYPTO_MB" ]]; then crypto_age "$size" "$rep"; fi
      if ((rep % 2 == 0)); then crypto_migpkg "$size" "$rep"; fi
      if [[ "$size" == "$CRYPTO_MB" ]]; then
        # Each opens the other's file: the same format, not only the same speed.
        rm -f "$dir/m.out" "$dir/a.out"
        "$MIGPKG" decrypt --force -i "$dir/id.txt" -o "$dir/m.out" "$dir/a.age" >/dev/null 2>&1 ||
          die "migpkg could not decrypt age's file"
        age -d -i "$dir/id.txt" -o "$dir/a.out" "$dir/m.age" || die "age could not decrypt migpkg's file"
        cmp -s "$dir/plain" "$dir/m.out" && cmp -s "$dir/plain" "$dir/a.out" || die "a cross decryption differs"
      fi
    done
  done
  rm -f "$dir/plain" "$dir/m.age" "$dir/a.age" "$dir/m.out" "$dir/a.out"
  local big="${CRYPTO_MB}MiB" small="${CRYPTO_SMALL_MB}MiB"
  record time "encrypt $big (X25519) vs age" file "$(median "${me[@]}")" "$(median "${ae[@]}")" "$CRYPTO_LIMIT"
  record time "decrypt $big (X25519) vs age" file "$(median "${md[@]}")" "$(median "${ad[@]}")" "$CRYPTO_LIMIT"
  record rss "peak RSS encrypt $small vs $big" file "$(median "${me_small_r[@]}")" "$(median "${mer[@]}")" "$RSS_FLAT_LIMIT"
  record rss "peak RSS decrypt $small vs $big" file "$(median "${md_small_r[@]}")" "$(median "${mdr[@]}")" "$RSS_FLAT_LIMIT"
  record info "encrypt $big user+sys CPU vs age" file "$(median "${mec[@]}")" "$(median "${aec[@]}")" ""
  record info "decrypt $big user+sys CPU vs age" file "$(median "${mdc[@]}")" "$(median "${adc[@]}")" ""
  local mb='{ printf "%.1fMB", $1 / 1024 }'
  CRYPTO_RSS_NOTE="peak RSS at $big: migpkg encrypt $(median "${mer[@]}" | awk "$mb"), decrypt $(median "${mdr[@]}" | awk "$mb"); age -e $(median "${aer[@]}" | awk "$mb"), age -d $(median "${adr[@]}" | awk "$mb")"
}
