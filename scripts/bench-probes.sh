#!/usr/bin/env bash
# Probe benchmark: one scheduled poll probing BENCH_TARGETS (default 1,000) loopback endpoints.
#
#   scripts/bench-probes.sh [h2] [postgresql]
#
# For each store named (default: h2) it starts a copy of target/certplane.jar on a free port with a fresh data
# directory (and, for PostgreSQL, a fresh database certplane_probe_bench on 127.0.0.1:5432 as user postgres) and a
# token profile "bench"; creates a managed certificate and a certificate token, lets an unmodified certbot obtain the
# certificate with it, starts Debian's nginx serving that certificate on BENCH_TARGETS loopback ports (one server,
# one "listen" per port), creates one probe target per port through the API (interval 60 s), and waits for the
# scheduled polls that probe them. Each poll's duration is read from the audit event it writes
# (probe.poll.completed); a poll counts only if it probed every target at once. nginx and the server are stopped by
# their PIDs.
#
# Environment: BENCH_SKIP_BUILD=1 reuses the last build; BENCH_TARGETS (1000); BENCH_POLLS (2): how many polls
# of all targets to measure; BENCH_CONCURRENCY (32): certplane.probes.concurrency; BENCH_POLL_INTERVAL (90s): the
# time from the end of one poll to the next, long enough for the set-up between the start-up poll and the first
# measured one; BENCH_NGINX_WORKERS (2); BENCH_SERVER_JAVA_OPTS adds JVM options to the server.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh

TARGETS=${BENCH_TARGETS:-1000}
POLLS=${BENCH_POLLS:-2}
CONCURRENCY=${BENCH_CONCURRENCY:-32}
POLL_INTERVAL=${BENCH_POLL_INTERVAL:-90s}
NGINX_WORKERS=${BENCH_NGINX_WORKERS:-2}
DATABASE=certplane_probe_bench
NAME=probe.bench.test
ADMIN_PASSWORD=bench-probes-admin-password
export PGOPTIONS='--client-min-messages=warning'
stores=()
for arg in "$@"; do
  case "$arg" in
    h2|postgresql) stores+=("$arg") ;;
    *) echo "unknown argument: $arg (expected h2 or postgresql)" >&2; exit 2 ;;
  esac
done
[ ${#stores[@]} -gt 0 ] || stores=(h2)
for tool in nginx certbot python3 curl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "$tool is needed (apt-get install nginx-light certbot python3 curl)" >&2; exit 1; }
done

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  echo "building..."
  mvn -q -o -B -DskipTests package
fi

server_pid=""
nginx_pid=""
tmp=""
current_db=""
cleanup() {
  [ -z "$nginx_pid" ] || stop_pid "$nginx_pid"
  nginx_pid=""
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

# The API calls: one keep-alive HTTPS connection with an API token (a bcrypt password check on every request would
# cost more than the request). Commands: setup (token, managed certificate, certificate token), targets, polls.
api_client() {
  python3 - "$@" <<'PY'
import http.client, json, ssl, sys, time, base64
cmd, port, bundle, state = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
conn = http.client.HTTPSConnection("localhost", port, context=ssl.create_default_context(cafile=bundle), timeout=60)
def call(method, path, body=None, auth=None):
    headers = {"Content-Type": "application/json", "Authorization": auth or open(state + "/api-token").read()}
    conn.request(method, path, json.dumps(body) if body is not None else None, headers)
    response = conn.getresponse()
    data = response.read()
    if response.status >= 300:
        sys.exit(f"{method} {path}: {response.status} {data.decode()}")
    return json.loads(data) if data else None
if cmd == "setup":
    admin = "Basic " + base64.b64encode(b"admin:" + sys.argv[5].encode()).decode()
    token = call("POST", "/api/api-tokens", {"name": "bench", "permissions": ["admin"]}, admin)
    open(state + "/api-token", "w").write("Bearer " + token["secret"])
    managed = call("POST", "/api/managed-certificates", {"name": "probe bench", "profile": "bench", "names": [sys.argv[6]]})
    issued = call("POST", "/api/certificate-tokens", {"managedCertificateId": managed["id"], "name": "bench nginx"})
    print(managed["id"], issued["keyId"], issued["hmacKey"], issued["directoryUrl"])
elif cmd == "targets":
    managed, name, ports = sys.argv[5], sys.argv[6], sys.argv[7].split(",")
    started = time.monotonic()
    for p in ports:
        call("POST", "/api/probes", {"host": "127.0.0.1", "port": int(p), "sni": name, "managedCertificateId": managed,
                                     "intervalSeconds": 60})
    print(f"created {len(ports)} probe targets in {time.monotonic() - started:.1f} s")
elif cmd == "polls":
    targets, wanted, deadline = int(sys.argv[5]), int(sys.argv[6]), time.monotonic() + float(sys.argv[7])
    seen = set()
    while time.monotonic() < deadline:
        page = call("GET", "/api/audit?action=probe.poll.completed&size=50")
        for event in reversed(page["items"]):
            d = event["details"]
            if event["seq"] in seen:
                continue
            seen.add(event["seq"])
            statuses = {k: v for k, v in d.items() if k not in ("probed", "recorded", "resultsPruned", "durationMs")}
            whole = int(d["probed"]) == targets
            print(f"poll at {event['occurredAt']}: probed {d['probed']}, recorded {d['recorded']}, statuses {statuses},"
                  f" {int(d['durationMs']) / 1000:.2f} s" + ("" if whole else " (not all targets: not counted)")
                  + (f", {int(d['probed']) * 1000 / max(1, int(d['durationMs'])):.0f} probes/s" if whole else ""),
                  flush=True)
            if whole:
                wanted -= 1
        if wanted <= 0:
            sys.exit(0)
        time.sleep(1)
    sys.exit("timed out waiting for the polls")
PY
}

overall=0
for store in "${stores[@]}"; do
  tmp=$(mktemp -d -t bench-probes.XXXXXX)
  PORT=""
  for p in $(seq 18600 18700); do port_in_use "$p" || { PORT=$p; break; }; done
  store_args=()
  if [ "$store" = postgresql ]; then
    psql -h 127.0.0.1 -U postgres -d postgres -w -qc "drop database if exists $DATABASE" >/dev/null
    psql -h 127.0.0.1 -U postgres -d postgres -w -qc "create database $DATABASE" >/dev/null
    current_db=$DATABASE
    store_args=(--spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/$DATABASE"
      --spring.datasource.username=postgres)
  fi
  echo
  echo "## Certplane probes on $store: $TARGETS targets, concurrency $CONCURRENCY, nginx $(nginx -v 2>&1 | cut -d/ -f2)" \
    "with $NGINX_WORKERS workers, port $PORT"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  # The server runs a copy of the jar, so that a build during the run does not change it under the running server.
  cp target/certplane.jar "$tmp/certplane.jar"
  # shellcheck disable=SC2086
  CERTPLANE_ADMIN_PASSWORD=$ADMIN_PASSWORD java ${BENCH_SERVER_JAVA_OPTS:-} -jar "$tmp/certplane.jar" \
    --server.port="$PORT" --certplane.external-url="https://localhost:$PORT" --certplane.data-dir="$tmp" \
    --certplane.acme.profiles.bench.auth-mode=token --certplane.acme.profiles.bench.allowed-domains=.bench.test \
    --certplane.probes.poll-interval="$POLL_INTERVAL" --certplane.probes.concurrency="$CONCURRENCY" \
    "${store_args[@]}" >"$tmp/server.log" 2>&1 &
  server_pid=$!
  started=$(date +%s)
  await_ready "$server_pid" "$tmp" "$PORT"
  echo "server ready after $(( $(date +%s) - started )) s, pid $server_pid"

  read -r managed kid hmac directory < <(api_client setup "$PORT" "$tmp/ca-bundle.pem" "$tmp" "$ADMIN_PASSWORD" "$NAME")
  REQUESTS_CA_BUNDLE="$tmp/ca-bundle.pem" certbot --config-dir "$tmp/certbot/config" --work-dir "$tmp/certbot/work" \
    --logs-dir "$tmp/certbot/logs" --non-interactive --agree-tos -m bench@bench.test --no-eff-email \
    --server "$directory" --eab-kid "$kid" --eab-hmac-key "$hmac" certonly --cert-name bench --manual \
    --preferred-challenges http-01 --manual-auth-hook true --manual-cleanup-hook true -d "$NAME" >"$tmp/certbot.log" 2>&1 \
    || { echo "certbot failed:" >&2; tail -20 "$tmp/certbot.log" >&2; exit 1; }
  echo "certbot obtained version 1 of the managed certificate"

  ports=()
  for p in $(seq 21000 40000); do
    port_in_use "$p" || ports+=("$p")
    [ ${#ports[@]} -lt "$TARGETS" ] || break
  done
  mkdir -p "$tmp/nginx/tmp"
  {
    echo "daemon off; master_process on; worker_processes $NGINX_WORKERS; worker_rlimit_nofile 8192;"
    echo "pid $tmp/nginx/nginx.pid; error_log $tmp/nginx/error.log warn;"
    echo "events { worker_connections 4096; }"
    echo "http { access_log off; client_body_temp_path $tmp/nginx/tmp; proxy_temp_path $tmp/nginx/tmp;"
    echo "  fastcgi_temp_path $tmp/nginx/tmp; uwsgi_temp_path $tmp/nginx/tmp; scgi_temp_path $tmp/nginx/tmp;"
    echo "  ssl_protocols TLSv1.2 TLSv1.3;"
    echo "  server { server_name $NAME;"
    echo "    ssl_certificate $tmp/certbot/config/live/bench/fullchain.pem;"
    echo "    ssl_certificate_key $tmp/certbot/config/live/bench/privkey.pem;"
    for p in "${ports[@]}"; do echo "    listen 127.0.0.1:$p ssl;"; done
    echo "    return 200 \"ok\\n\"; } }"
  } >"$tmp/nginx/nginx.conf"
  nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" >"$tmp/nginx/out.log" 2>&1 &
  nginx_pid=$!
  for _ in $(seq 1 100); do
    port_in_use "${ports[-1]}" && break
    kill -0 "$nginx_pid" 2>/dev/null || { echo "nginx exited:" >&2; cat "$tmp/nginx/out.log" "$tmp/nginx/error.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "nginx listening on ${#ports[@]} ports (${ports[0]}..${ports[-1]}), pid $nginx_pid"

  api_client targets "$PORT" "$tmp/ca-bundle.pem" "$tmp" "$managed" "$NAME" "$(IFS=,; echo "${ports[*]}")"
  rc=0
  # The start-up poll found nothing; the next one, POLL_INTERVAL after it, probes every target at once, and each
  # later one again (their interval, 60 s, is shorter than the time between polls).
  api_client polls "$PORT" "$tmp/ca-bundle.pem" "$tmp" "$TARGETS" "$POLLS" 900 || rc=$?
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  if [ $rc -ne 0 ]; then
    overall=$rc
    echo "(last server log lines:)"
    tail -20 "$tmp/server.log"
  fi
  cp "$tmp/server.log" "target/bench-probes-$store-server.log"
  cleanup
done
exit $overall
