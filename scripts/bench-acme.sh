#!/usr/bin/env bash
# ACME load benchmark: complete orders per second and order latency, per concurrency.
#
#   scripts/bench-acme.sh [h2] [postgresql] [--against-pebble] [client options...]
#
# For each store named (default: h2 and postgresql) it starts target/certplane.jar on port 18443 with a fresh
# data directory (and, for PostgreSQL, a fresh database certplane_bench on 127.0.0.1:5432 as user postgres),
# waits until it is ready, runs the load client (src/test/java/dev/certplane/bench/AcmeLoadClient.java) against
# its ACME directory, then stops the server. --against-pebble instead runs the client against a Pebble test
# server on loopback (no Certplane involved): a sanity check of the client itself.
#
# Every other --key=value option goes to the client, e.g. --concurrency=1,16,64 --duration=30s --warmup=5s
# --fill=100000 --names=1 --accounts=64. Environment: BENCH_SKIP_BUILD=1 reuses the last build;
# BENCH_SERVER_JAVA_OPTS and BENCH_CLIENT_JAVA_OPTS are passed to the server's and the client's JVM. Unless
# BENCH_CLIENT_JAVA_OPTS is set (even empty), the client runs with -XX:TieredStopAtLevel=1 (C1 only): in runs of a
# few tens of seconds C2 spends more CPU compiling than its faster code saves, and the client shares the machine's
# cores with the server under test.
# BENCH_PORT (default 18443) is the server's port; BENCH_SEED_ORDERS=100000 seeds the PostgreSQL database
# with that many stored orders (scripts/bench-seed-postgresql.sql) before measuring.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh

PORT=${BENCH_PORT:-18443}
DATABASE=certplane_bench${BENCH_PORT:+_$BENCH_PORT}
export PGOPTIONS='--client-min-messages=warning'  # no NOTICE for "drop database if exists"
stores=()
client_args=()
pebble=false
for arg in "$@"; do
  case "$arg" in
    h2|postgresql) stores+=("$arg") ;;
    --against-pebble) pebble=true ;;
    --*=*) client_args+=("$arg") ;;
    *) echo "unknown argument: $arg (expected h2, postgresql, --against-pebble or --key=value)" >&2; exit 2 ;;
  esac
done
[ ${#stores[@]} -gt 0 ] || stores=(h2 postgresql)

# ------------------------------------------------------------------------------------------------ build
if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  echo "building..."
  if [ "$pebble" != true ]; then
    mvn -q -B -ntp -DskipTests package
  fi
  mvn -q -B -ntp test-compile
  mvn -q -B -ntp dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
fi
classpath="target/test-classes:$(cat target/bench.classpath)"

run_client() {
  # shellcheck disable=SC2086
  java ${BENCH_CLIENT_JAVA_OPTS--XX:TieredStopAtLevel=1} -cp "$classpath" dev.certplane.bench.AcmeLoadClient "$@" \
    "${client_args[@]}"
}

server_pid=""
tmp=""
current_db=""
cleanup() {
  [ -z "$server_pid" ] || stop_pid "$server_pid"
  server_pid=""
  if [ -n "$current_db" ]; then
    psql -h 127.0.0.1 -U postgres -d postgres -w -qc "drop database if exists $current_db" >/dev/null 2>&1 || true
    current_db=""
  fi
  [ -z "$tmp" ] || rm -rf "$tmp"
  tmp=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------------------------------------ Pebble
if [ "$pebble" = true ]; then
  if ! command -v pebble >/dev/null 2>&1; then
    echo "installing pebble"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pebble >/dev/null
  fi
  tmp=$(mktemp -d -t bench-pebble.XXXXXX)
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
  ports=()
  for p in $(seq 14500 14600); do
    port_in_use "$p" || ports+=("$p")
    [ ${#ports[@]} -lt 4 ] || break
  done
  cat > "$tmp/pebble.json" <<EOF
{"pebble": {"listenAddress": "127.0.0.1:${ports[0]}", "managementListenAddress": "127.0.0.1:${ports[1]}",
  "certificate": "$tmp/cert.pem", "privateKey": "$tmp/key.pem", "httpPort": ${ports[2]}, "tlsPort": ${ports[3]},
  "ocspResponderURL": "", "externalAccountBindingRequired": false}}
EOF
  # Challenges always valid, no artificial sleeps, no random nonce rejections. A fresh Pebble each run: its
  # in-memory store (Debian's 2.4.0) now and then deadlocks under concurrent orders, more likely the more it
  # holds; the client then reports 0 orders and request time-outs.
  PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 \
    pebble -config "$tmp/pebble.json" >"$tmp/pebble.log" 2>&1 &
  server_pid=$!
  directory="https://localhost:${ports[0]}/dir"
  for _ in $(seq 1 60); do
    curl -fsS --cacert "$tmp/cert.pem" -o /dev/null "$directory" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { tail -20 "$tmp/pebble.log"; exit 1; }
    sleep 0.5
  done
  echo "## pebble ($(dpkg-query -W -f='${Version}' pebble 2>/dev/null || echo '?')), pid $server_pid"
  rc=0
  run_client --directory="$directory" --ca-bundle="$tmp/cert.pem" --server-pid="$server_pid" || rc=$?
  exit $rc
fi

# ------------------------------------------------------------------------------------------------ Certplane
if port_in_use "$PORT"; then
  echo "port $PORT is in use; stop whatever listens there first" >&2
  exit 1
fi

overall=0
for store in "${stores[@]}"; do
  tmp=$(mktemp -d -t bench-certplane.XXXXXX)
  store_args=()
  if [ "$store" = postgresql ]; then
    psql -h 127.0.0.1 -U postgres -d postgres -w -qc "drop database if exists $DATABASE" >/dev/null
    psql -h 127.0.0.1 -U postgres -d postgres -w -qc "create database $DATABASE" >/dev/null
    current_db=$DATABASE
    store_args=(--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/$DATABASE
      --spring.datasource.username=postgres)
  fi
  echo
  echo "## Certplane on $store"
  # shellcheck disable=SC2086
  java ${BENCH_SERVER_JAVA_OPTS:-} -jar target/certplane.jar \
    --server.port=$PORT --certplane.external-url=https://localhost:$PORT --certplane.data-dir="$tmp" \
    --certplane.acme.profiles.default.auth-mode=trust_authenticated \
    --certplane.acme.profiles.default.allowed-domains=.bench.internal \
    "${store_args[@]}" >"$tmp/server.log" 2>&1 &
  server_pid=$!
  started=$(date +%s)
  await_ready "$server_pid" "$tmp" "$PORT"
  echo "ready after $(( $(date +%s) - started )) s, pid $server_pid"
  if [ -n "${BENCH_SEED_ORDERS:-}" ] && [ "$store" = postgresql ]; then
    seeded=$(date +%s)
    psql -h 127.0.0.1 -U postgres -d "$DATABASE" -w -q -v orders="$BENCH_SEED_ORDERS" \
      -f scripts/bench-seed-postgresql.sql >/dev/null
    echo "seeded $BENCH_SEED_ORDERS stored orders in $(( $(date +%s) - seeded )) s"
  fi
  rc=0
  run_client --directory="https://localhost:$PORT/acme/directory" --ca-bundle="$tmp/ca-bundle.pem" \
    --server-pid="$server_pid" || rc=$?
  if [ $rc -ne 0 ]; then
    overall=$rc
    echo "(client exit code $rc; last server log lines:)"
    tail -20 "$tmp/server.log"
  fi
  cleanup
done
exit $overall
