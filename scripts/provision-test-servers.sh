#!/usr/bin/env bash
# The outage and scale-out tests (tests/support/servers.py, tests/support/cluster_servers.py) start
# throwaway Redis servers (a primary and its replica, a sentinel, a three-node cluster) and MariaDB servers
# (a primary and its replica) of their own, on free ports, from the installed programs. Install
# whichever is missing with apt-get, and fail when one is still missing: those tests would fail.
# Nothing is started here, and the services at DATABASE_URL / REDIS_URL are left as they are.
set -uo pipefail
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
have() { PATH="$PATH:/usr/sbin:/usr/local/sbin:/sbin" command -v "$1" >/dev/null; }

# program -> the Debian package that ships it (programs only, no service is set up)
declare -A PACKAGE_OF=(
    [redis-server]=redis-server         # `redis-server --sentinel` is the sentinel too
    [redis-cli]=redis-tools
    [mariadbd]=mariadb-server-core
    [mariadb-install-db]=mariadb-server-core
    [my_print_defaults]=mariadb-client-core  # mariadb-install-db runs it first of all
)

missing() { for program in "${!PACKAGE_OF[@]}"; do have "$program" || echo "$program"; done; }

packages=$(for program in $(missing); do echo "${PACKAGE_OF[$program]}"; done | sort -u | xargs)
if [ -n "$packages" ]; then
    echo "provision: installing $packages with apt-get (for the throwaway servers of the outage and scale-out tests)"
    # shellcheck disable=SC2086
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $packages >/dev/null
fi
still_missing=$(missing | sort | xargs)
if [ -n "$still_missing" ]; then
    echo "provision: $still_missing not installed and could not be: the tests of throwaway servers would fail" >&2
    exit 1
fi
