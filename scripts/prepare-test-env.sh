#!/usr/bin/env bash
# Makes sure what the test suite talks to is here: Debian's Chromium (browser tests) and a MariaDB
# server on 127.0.0.1:3306 (integration tests). Idempotent and quick when both are present.
# Skip with TEST_ENV_READY=1 when you provide them yourself (and set TEST_DB_URL / CHROMIUM_PATH).
set -euo pipefail
[ "${TEST_ENV_READY:-}" = "1" ] && exit 0

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then sudo_ apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive sudo_ apt-get install -y -qq "$@" >/dev/null
}

if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM_PATH:-}" ]; then
  echo "installing Debian's chromium for the browser tests"
  apt_install chromium fonts-noto-cjk
fi

db_answers() {
  node -e "
    const s = require('net').connect(3306, '127.0.0.1');
    s.on('connect', () => { s.end(); process.exit(0) });
    s.on('error', () => process.exit(1));
    setTimeout(() => process.exit(1), 1000);"
}

if [ -z "${TEST_DB_URL:-}" ] && ! db_answers; then
  if [ ! -x /usr/sbin/mariadbd ]; then
    echo "installing MariaDB for the integration tests"
    apt_install mariadb-server
  fi
  echo "starting MariaDB"
  sudo_ mkdir -p /run/mysqld && sudo_ chown mysql:mysql /run/mysqld
  sudo_ start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  for _ in $(seq 1 60); do db_answers && break; sleep 0.5; done
  db_answers || { echo "MariaDB did not start" >&2; exit 1; }
  # A fresh install lets root in over the socket only; the tests connect over TCP with no password.
  sudo_ mariadb -e "ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket" 2>/dev/null || true
fi
