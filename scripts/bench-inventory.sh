#!/usr/bin/env bash
# Inventory benchmark: a million certificates on PostgreSQL — list, filter, search, stats and CSV export.
#
#   scripts/bench-inventory.sh [client options...]
#
# Builds target/certplane.jar (unless BENCH_SKIP_BUILD=1), creates a fresh database certplane_inv_bench on
# 127.0.0.1:5432 (user postgres), starts Certplane on it with -Xmx256m (the heap the CSV export must live in) on
# a free port, loads BENCH_CERTIFICATES (default 1,000,000) certificates with scripts/bench-seed-inventory.sql,
# runs the measuring client (src/test/java/dev/certplane/bench/InventoryBenchClient.java) against the API and
# stops the server by its PID. Every --key=value option goes to the client (--requests=200 --warmup=50).
#
# Environment: BENCH_SKIP_BUILD=1 reuses the last build; BENCH_KEEP_DB=1 keeps the loaded database afterwards and
# BENCH_REUSE_DB=1 measures an existing one without loading it again (to try a change without a 5-minute load;
# the server's migrations still run, so a new index migration is applied to it); BENCH_SERVER_JAVA_OPTS adds JVM
# options to the server.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh

CERTIFICATES=${BENCH_CERTIFICATES:-1000000}
DATABASE=certplane_inv_bench
ADMIN_PASSWORD=bench-inventory-admin-password
# A fixed master key (base64 of 32 bytes) for this throw-away database, so BENCH_REUSE_DB can start on it again.
MASTER_KEY=YmVuY2gtaW52ZW50b3J5LW1hc3Rlci1rZXktMzJieXQ=
export PGOPTIONS='--client-min-messages=warning'
client_args=()
for arg in "$@"; do
  case "$arg" in
    --*=*) client_args+=("$arg") ;;
    *) echo "unknown argument: $arg (expected --key=value client options)" >&2; exit 2 ;;
  esac
done

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  echo "building..."
  mvn -q -o -B -DskipTests package
  mvn -q -o -B test-compile
  mvn -q -o -B dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
fi
classpath="target/test-classes:$(cat target/bench.classpath)"

psql_db() {
  psql -h 127.0.0.1 -U postgres -d "$DATABASE" -w -qAt "$@"
}

server_pid=""
tmp=$(mktemp -d -t bench-inventory.XXXXXX)
cleanup() {
  [ -z "$server_pid" ] || stop_pid "$server_pid"
  if [ "${BENCH_KEEP_DB:-}" != 1 ]; then
    psql -h 127.0.0.1 -U postgres -d postgres -w -qc "drop database if exists $DATABASE" >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT=${BENCH_PORT:-}
if [ -z "$PORT" ]; then
  for p in $(seq 18500 18600); do
    port_in_use "$p" || { PORT=$p; break; }
  done
fi
if [ "${BENCH_REUSE_DB:-}" != 1 ]; then
  psql -h 127.0.0.1 -U postgres -d postgres -w -qc "drop database if exists $DATABASE" >/dev/null
  psql -h 127.0.0.1 -U postgres -d postgres -w -qc "create database $DATABASE" >/dev/null
fi

echo "## Certplane inventory benchmark: $CERTIFICATES certificates on PostgreSQL $(psql -h 127.0.0.1 -U postgres \
  -d postgres -w -qAtc 'show server_version'), port $PORT"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# The server runs a copy of the jar, so that a build during the run does not change it under the running server.
cp target/certplane.jar "$tmp/certplane.jar"
# shellcheck disable=SC2086
CERTPLANE_ADMIN_PASSWORD=$ADMIN_PASSWORD CERTPLANE_MASTER_KEY=$MASTER_KEY \
  java -Xmx256m -Xlog:gc:file="$tmp/gc.log" ${BENCH_SERVER_JAVA_OPTS:-} -jar "$tmp/certplane.jar" \
  --management.endpoints.web.exposure.include=health,metrics --server.port="$PORT" \
  --certplane.external-url="https://localhost:$PORT" --certplane.data-dir="$tmp" \
  --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/$DATABASE" --spring.datasource.username=postgres \
  >"$tmp/server.log" 2>&1 &
server_pid=$!
started=$(date +%s)
await_ready "$server_pid" "$tmp" "$PORT"
echo "server ready after $(( $(date +%s) - started )) s, pid $server_pid, -Xmx256m"

if [ "${BENCH_REUSE_DB:-}" != 1 ]; then
  # One real certificate's PEM for every row (the server's own CA bundle holds real ones).
  pem=$(awk '/BEGIN CERTIFICATE/{p=1} p{print} /END CERTIFICATE/{exit}' "$tmp/ca-bundle.pem")
  loaded=$(date +%s.%N)
  psql_db -v certificates="$CERTIFICATES" -v pem="$pem" -f scripts/bench-seed-inventory.sql >/dev/null
  printf 'loaded %s certificates in %.0f s (insert, terms, sources, endpoints, vacuum analyze)\n' "$CERTIFICATES" \
    "$(echo "$(date +%s.%N) - $loaded" | bc)"
fi
psql_db -c "select 'rows: ' || (select count(*) from inv_certificates) || ' certificates, '
  || (select count(*) from inv_certificate_terms) || ' terms, ' || (select count(*) from inv_certificate_sources)
  || ' sources, ' || (select count(*) from inv_endpoints) || ' endpoints; database '
  || pg_size_pretty(pg_database_size(current_database())) || '; inv_certificates pages all-visible: '
  || (select round(100.0 * relallvisible / greatest(relpages, 1)) from pg_class where relname = 'inv_certificates')
  || ' % (index-only counts read the table for the rest)'"

# What to search for, taken from the data: a leaf's hostname, the domain closest to 1 % of the rows, a
# fingerprint prefix, the busiest issuing CA, the first organization.
hostname=$(psql_db -c "select subject_cn from inv_certificates where not is_ca and subject_cn not like '*%'
  order by id limit 1")
domain=$(psql_db -c "select term from inv_certificate_terms where term in ('acme.com', 'globex.net', 'initech.org',
  'umbrella.io', 'stark.de') group by term
  order by abs(count(*) - (select count(*) from inv_certificates) / 100) limit 1")
fingerprint=$(psql_db -c "select substr(fingerprint_sha256, 1, 12) from inv_certificates order by id offset 1000 limit 1")
issuer=$(psql_db -c "select issuer_cn from inv_certificates where not is_ca group by issuer_cn order by count(*) desc
  limit 1")

rc=0
java -cp "$classpath" dev.certplane.bench.InventoryBenchClient --base="https://localhost:$PORT" \
  --ca-bundle="$tmp/ca-bundle.pem" --password="$ADMIN_PASSWORD" --server-pid="$server_pid" \
  --hostname="$hostname" --domain="$domain" --fingerprint="$fingerprint" --cn-prefix="grafana-1" \
  --broad-prefix="digicert" --organization="Acme Corporation" --issuer="$issuer" "${client_args[@]}" || rc=$?
if [ $rc -ne 0 ]; then
  echo "(client exit code $rc; last server log lines:)"
  tail -20 "$tmp/server.log"
fi
# The expiry loop over the whole inventory, twice: on demand through the API, its duration read from the audit
# event each run writes (the first run opens the alerts of every expiring leaf, the second finds nothing to do).
loop_runs() {
  curl -fsS --cacert "$tmp/ca-bundle.pem" -u "admin:$ADMIN_PASSWORD" \
    "https://localhost:$PORT/api/audit?action=inventory.expiry-loop.completed&size=1" |
    python3 -c 'import json,sys; page=json.load(sys.stdin); print(page["total"], json.dumps(page["items"][0]["details"]) if page["items"] else "{}")'
}
for run in 1 2; do
  before=$(loop_runs | cut -d' ' -f1)
  requested=$(date +%s.%N)
  curl -fsS --cacert "$tmp/ca-bundle.pem" -u "admin:$ADMIN_PASSWORD" -X POST \
    "https://localhost:$PORT/api/certificates/expiry-check" >/dev/null
  for _ in $(seq 1 1200); do
    now=$(loop_runs)
    [ "$(echo "$now" | cut -d' ' -f1)" -gt "$before" ] && break
    sleep 0.5
  done
  printf 'expiry loop run %s: %.1f s from request to audit event; %s\n' "$run" \
    "$(echo "$(date +%s.%N) - $requested" | bc)" "$(echo "$now" | cut -d' ' -f2-)"
done

# The GC log's "before->after(capacity)" figures over the whole run: the live set after each collection and the
# fullest the heap got before one.
awk 'match($0, /[0-9]+M->[0-9]+M\([0-9]+M\)/) { split(substr($0, RSTART, RLENGTH), v, /M->|M\(|M\)/);
  if (v[1] > before) before = v[1]; if (v[2] > after) after = v[2]; if (v[3] > cap) cap = v[3]; n++ }
  END { printf "GC log: %d collections; heap before a collection at most %d MiB, after one at most %d MiB, " \
    "committed at most %d MiB (-Xmx256m)\n", n, before, after, cap }' "$tmp/gc.log"
cp "$tmp/server.log" target/bench-inventory-server.log
if grep -q OutOfMemoryError "$tmp/server.log"; then
  echo "the server ran out of heap:"
  grep -m3 OutOfMemoryError "$tmp/server.log"
  rc=1
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
