#!/usr/bin/env bash
# The scale-out tests (tests/test_scale_*.py) start throwaway Redis servers (a primary and its
# replica, a sentinel, a three-node cluster) and MariaDB servers (a primary and its replica) of
# their own, on free ports, from the installed programs. Install whichever is missing with
# apt-get; where that fails, those tests are skipped and say why. Nothing is started here, and
# the services at DATABASE_URL / REDIS_URL are left exactly as they are.
set -uo pipefail
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
have() { PATH="$PATH:/usr/sbin:/usr/local/sbin:/sbin" command -v "$1" >/dev/null; }

packages=()
have redis-server || packages+=(redis-server)  # `redis-server --sentinel` is the sentinel too
have redis-cli || packages+=(redis-tools)
{ have mariadbd && have mariadb-install-db; } || packages+=(mariadb-server-core)  # programs only, no service

if [ ${#packages[@]} -gt 0 ]; then
    echo "provision: installing ${packages[*]} with apt-get (for the throwaway servers of the scale-out tests)"
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${packages[@]}" >/dev/null; } \
        || echo "provision: could not install ${packages[*]}: the scale-out tests that need them will be skipped" >&2
fi
exit 0
