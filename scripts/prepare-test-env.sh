#!/usr/bin/env bash
# Makes sure what the test suite talks to is here: Debian's Chromium (browser tests), a MariaDB
# server on 127.0.0.1:3306 and a Redis server on 127.0.0.1:6379 (integration tests). Idempotent and
# quick when all are present. Skip with TEST_ENV_READY=1 when you provide them yourself (and set
# TEST_DB_URL / TEST_REDIS_URL / CHROMIUM_PATH).
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

port_answers() {
  node -e "
    const s = require('net').connect($1, '127.0.0.1');
    s.on('connect', () => { s.end(); process.exit(0) });
    s.on('error', () => process.exit(1));
    setTimeout(() => process.exit(1), 1000);"
}
db_answers() { port_answers 3306; }
redis_answers() { port_answers 6379; }

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

# Rate limits shared by several BFF instances are tested against a real Redis.
if [ -z "${TEST_REDIS_URL:-}" ] && ! redis_answers; then
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "installing Redis for the integration tests"
    apt_install redis-server
  fi
  echo "starting Redis"
  # Loopback only, nothing kept on disk: the tests' counters are thrown away with the server.
  sudo_ redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /tmp
  for _ in $(seq 1 40); do redis_answers && break; sleep 0.25; done
  redis_answers || { echo "Redis did not start" >&2; exit 1; }
fi
