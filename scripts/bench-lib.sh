# Functions the benchmark scripts share; they source this file after changing to the project directory.

# Whether something listens on this TCP port.
port_in_use() {
  [ -n "$(ss -Htln "sport = :$1" 2>/dev/null)" ]
}

# Stops a process the script started: TERM, then KILL after 30 s.
stop_pid() {
  local pid=$1
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.5
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Waits until the Certplane the script started (PID $1, data directory $2, writing $2/server.log) answers ready on
# port $3; exits with the end of its log if it stops or is not ready within 180 s.
await_ready() {
  local pid=$1 dir=$2 port=$3 started
  started=$(date +%s)
  while [ $(( $(date +%s) - started )) -lt 180 ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the server exited during start-up:" >&2
      tail -40 "$dir/server.log" >&2
      exit 1
    fi
    if [ -f "$dir/ca-bundle.pem" ] && curl -fsS --cacert "$dir/ca-bundle.pem" \
        "https://localhost:$port/actuator/health/readiness" 2>/dev/null | grep -q '"status":"UP"'; then
      return 0
    fi
    sleep 0.5
  done
  echo "the server was not ready within 180 s:" >&2
  tail -40 "$dir/server.log" >&2
  exit 1
}
