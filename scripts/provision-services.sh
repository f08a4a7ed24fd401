#!/usr/bin/env bash
# Make sure MariaDB/MySQL and Redis answer at DATABASE_URL / REDIS_URL.
# Where nothing answers and the address is this machine, install them with apt-get (if missing)
# and start them. Services that already answer are left exactly as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

check() { "$PY" scripts/check_services.py "$@" 2>/dev/null; }
is_local() { case "$1" in 127.*|localhost|::1|"") return 0;; *) return 1;; esac; }
url_host() { "$PY" -c "import sys,urllib.parse as u; print(u.urlsplit(sys.argv[1]).hostname or '')" "$1"; }
url_port() { "$PY" -c "import sys,urllib.parse as u; print(u.urlsplit(sys.argv[1]).port or sys.argv[2])" "$1" "$2"; }

DATABASE_URL="${DATABASE_URL:-$("$PY" -c 'from settings import Config; print(Config.DATABASE_URL)')}"
REDIS_URL="${REDIS_URL:-$("$PY" -c 'from settings import Config; print(Config.REDIS_URL)')}"
export DATABASE_URL REDIS_URL

apt_install() {
    echo "provision: installing $* with apt-get"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

if ! check mysql; then
    host=$(url_host "$DATABASE_URL")
    is_local "$host" || { check mysql --wait 0 || true; echo "provision: MySQL at $host does not answer; start it or fix DATABASE_URL" >&2; exit 1; }
    command -v mariadbd >/dev/null || command -v mysqld >/dev/null || apt_install mariadb-server
    echo "provision: starting MariaDB"
    $SUDO service mariadb start >/dev/null 2>&1 || $SUDO start-stop-daemon --start --oknodo --background --exec "$(command -v mariadbd || command -v mysqld)" -- --user=mysql
    if ! check mysql --wait 30; then
        # A fresh Debian MariaDB lets root in through the unix socket only; let the configured
        # password-less root in over TCP too, as DATABASE_URL's default expects.
        echo "provision: allowing root over TCP without a password (local development server)"
        $SUDO mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('')" || true
        check mysql --wait 10 || { "$PY" scripts/check_services.py mysql; exit 1; }
    fi
fi

if ! check redis; then
    host=$(url_host "$REDIS_URL")
    is_local "$host" || { echo "provision: Redis at $host does not answer; start it or fix REDIS_URL" >&2; exit 1; }
    command -v redis-server >/dev/null || apt_install redis-server
    port=$(url_port "$REDIS_URL" 6379)
    # Its sessions survive a restart: append-only persistence into a data directory of its own.
    data_dir=${REDIS_DATA_DIR:-/var/lib/conduit-redis}
    echo "provision: starting Redis on port $port (data in $data_dir)"
    $SUDO mkdir -p "$data_dir"
    $SUDO redis-server scripts/redis-session-store.conf --port "$port" --dir "$data_dir" \
        --daemonize yes --logfile "$data_dir/redis.log" >/dev/null
    check redis --wait 15 || { "$PY" scripts/check_services.py redis; exit 1; }
fi
echo "provision: MySQL and Redis answer"
