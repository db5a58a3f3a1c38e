# Sourced by the test-server scripts (pg-test-server.sh, mariadb-test-server.sh): picking a free
# loopback port, so a throwaway server never collides with another one on the machine. The
# sourcing script defines die().

port_is_free() {
  local port=$1
  # Something listening on any address (ss), or accepting on 127.0.0.1 (/dev/tcp) = taken.
  # Either check alone can miss a case (ss may be unavailable or blocked in a container).
  if command -v ss >/dev/null 2>&1 && [[ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]]; then
    return 1
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    return 1
  fi
  return 0
}

pick_free_port() {
  local port i
  for ((i = 0; i < 50; i++)); do
    # $RANDOM is only 15 bits; combine two to cover 20000-60000 evenly.
    port=$(((((RANDOM << 15) | RANDOM) % 40001) + 20000))
    if port_is_free "$port"; then
      printf '%s\n' "$port"
      return 0
    fi
  done
  die "no free TCP port found in 20000-60000 after 50 tries"
}
