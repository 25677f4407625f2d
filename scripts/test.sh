#!/usr/bin/env bash
# Runs every test: unit tests, then the integration suite twice (embedded H2 and PostgreSQL).
# Installs what the tests need on a fresh machine and starts PostgreSQL if it is not running.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
command -v mvn >/dev/null 2>&1 || packages+=(maven)
command -v javac >/dev/null 2>&1 || packages+=(openjdk-17-jdk-headless)
command -v pg_ctlcluster >/dev/null 2>&1 || packages+=(postgresql)
# The unmodified ACME clients the ACME tests drive (src/test/java/dev/certplane/support/AcmeClients.java).
command -v certbot >/dev/null 2>&1 || packages+=(certbot)
command -v lego >/dev/null 2>&1 || packages+=(lego)
command -v dehydrated >/dev/null 2>&1 || packages+=(dehydrated)
command -v uacme >/dev/null 2>&1 || packages+=(uacme)
command -v caddy >/dev/null 2>&1 || packages+=(caddy)
# The DNS server challenge validation is tested against (src/test/java/dev/certplane/support/Bind9.java).
command -v named >/dev/null 2>&1 || packages+=(bind9)
# The external CA the ACME client is tested against (src/test/java/dev/certplane/support/Pebble.java).
command -v pebble >/dev/null 2>&1 || packages+=(pebble)
# Headless Chromium and its driver for the web UI tests (src/test/java/dev/certplane/web/WebUiIT.java).
command -v chromium >/dev/null 2>&1 || packages+=(chromium chromium-driver)
# The TLS servers the probe tests start on loopback (src/test/java/dev/certplane/support/NginxServer.java, HaproxyServer.java).
command -v nginx >/dev/null 2>&1 || packages+=(nginx-light)
command -v haproxy >/dev/null 2>&1 || packages+=(haproxy)
# The SMTP server the alert e-mail tests deliver to (src/test/java/dev/certplane/support/Aiosmtpd.java).
command -v aiosmtpd >/dev/null 2>&1 || packages+=(python3-aiosmtpd)
if [ ${#packages[@]} -gt 0 ]; then
  echo "installing: ${packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  version=$(ls /etc/postgresql | sort -n | tail -n 1)
  echo "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi

# The tests create their own databases as user postgres over TCP on loopback, without a password.
if ! psql -h 127.0.0.1 -U postgres -d postgres -w -qtAc 'select 1' >/dev/null 2>&1; then
  version=$(ls /etc/postgresql | sort -n | tail -n 1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  echo "allowing passwordless loopback connections for the tests in $hba"
  sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$version" main reload
fi

# Each test application gets its own database; remove those an earlier run left behind.
psql -h 127.0.0.1 -U postgres -d postgres -w -qtAc \
  "select datname from pg_database where datname like 'certplane\_it\_%'" |
  while read -r db; do psql -h 127.0.0.1 -U postgres -d postgres -w -qc "drop database if exists $db" >/dev/null; done

exec mvn -B -ntp clean verify "$@"
