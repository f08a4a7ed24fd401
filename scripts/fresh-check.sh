#!/usr/bin/env bash
# A new user's first hour, replayed: the README's two commands on a fresh Debian 12 (minbase with
# python3, make, git and ca-certificates only), in a chroot, with this machine's MariaDB and Redis
# answering on loopback (the chroot shares the network). `make fresh-check` runs it; it takes
# minutes and is not part of `make test`.
#
#   1. debootstrap bookworm (cached as a tarball after the first run, unpacked anew each time);
#   2. clone this repository's committed HEAD to /work/<name> in it, and ../shared beside it;
#   3. `make run` in the background until GET /api/health answers 200, then stop it;
#   4. `make test`.
# Run as root. FRESH_DIR (default /tmp/conduit-fresh-check) holds the chroot and the logs.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
NAME=$(basename "$REPO")
FRESH_DIR=${FRESH_DIR:-/tmp/conduit-fresh-check}
CACHE=${FRESH_CACHE:-/var/cache/conduit-fresh-check}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
RUN_PORT=${FRESH_RUN_PORT:-18000}
ROOT=$FRESH_DIR/root
LOGS=$FRESH_DIR/logs
SHARED=${SHARED_DIR:-$REPO/../shared}

[ "$(id -u)" -eq 0 ] || { echo "fresh-check: run as root (debootstrap and chroot)" >&2; exit 1; }
command -v debootstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }

say() { echo "fresh-check: $(date -u +%H:%M:%S) $*"; }
unmount_all() {
    for mount in $(grep -o " $ROOT/[^ ]*" /proc/mounts | sort -r); do umount -l "$mount" 2>/dev/null || true; done
}
trap unmount_all EXIT

unmount_all
rm -rf "$FRESH_DIR"
mkdir -p "$ROOT" "$LOGS" "$CACHE"

tarball=$CACHE/bookworm-minbase.tar.gz
if [ ! -s "$tarball" ]; then
    say "debootstrap bookworm minbase (cached at $tarball afterwards)"
    debootstrap --variant=minbase --include=python3,make,git,ca-certificates \
        --make-tarball="$tarball.part" bookworm "$FRESH_DIR/tarball-work" "$MIRROR" >"$LOGS/debootstrap.log" 2>&1
    mv "$tarball.part" "$tarball"
    rm -rf "$FRESH_DIR/tarball-work"
fi
say "unpacking a fresh Debian 12 into $ROOT"
debootstrap --variant=minbase --include=python3,make,git,ca-certificates \
    --unpack-tarball="$tarball" bookworm "$ROOT" "$MIRROR" >>"$LOGS/debootstrap.log" 2>&1
# A Debian 12 install's usual sources: the release, its updates and security.
cat >"$ROOT/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
# Where this machine reaches the registries through a TLS proxy, it trusts the proxy's CA (a file
# in /usr/local/share/ca-certificates, and variables pointing pip, npm and git at the bundle):
# the chroot is this machine's, so it gets the same trust, and nothing else of its setup.
cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/" 2>/dev/null || true
chroot "$ROOT" update-ca-certificates >/dev/null
trust=()
for variable in SSL_CERT_FILE SSL_CERT_DIR REQUESTS_CA_BUNDLE PIP_CERT NODE_EXTRA_CA_CERTS GIT_SSL_CAINFO; do
    [ -z "${!variable:-}" ] || trust+=("$variable=${!variable}")
done
mount -t proc proc "$ROOT/proc"
mount --rbind /sys "$ROOT/sys"
mount --rbind /dev "$ROOT/dev"

git clone --quiet "$REPO" "$ROOT/work/$NAME"
cp -a "$SHARED" "$ROOT/work/shared"
say "cloned $(git -C "$REPO" rev-parse --short HEAD) to /work/$NAME, with /work/shared"

in_chroot() { chroot "$ROOT" /usr/bin/env -i HOME=/root TERM=dumb PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 "${trust[@]}" bash -c "cd /work/$NAME && $1"; }

start=$(date +%s)
say "make run (PORT=$RUN_PORT), waiting for GET /api/health = 200"
# setsid: make (this very pid) and gunicorn get a process group of their own, to be ended as one.
in_chroot "echo \$\$ >/tmp/make-run.pid; exec setsid env PORT=$RUN_PORT make run" >"$LOGS/make-run.log" 2>&1 &
run_pid=$!
status=000
while kill -0 "$run_pid" 2>/dev/null; do
    status=$(python3 -c "import sys,urllib.request as u
try: print(u.urlopen(sys.argv[1], timeout=2).status)
except Exception as e: print(getattr(e, 'code', '000'))" "http://127.0.0.1:$RUN_PORT/api/health")
    [ "$status" = 200 ] && break
    [ $(( $(date +%s) - start )) -lt 1800 ] || break
    sleep 2
done
run_seconds=$(( $(date +%s) - start ))
group=$(cat "$ROOT/tmp/make-run.pid" 2>/dev/null || true)
[ -z "$group" ] || kill -TERM -- "-$group" 2>/dev/null || true
wait "$run_pid" 2>/dev/null || true
if [ "$status" != 200 ]; then
    say "make run did not serve (last health status $status) after ${run_seconds}s; see $LOGS/make-run.log"
    tail -30 "$LOGS/make-run.log"
    exit 1
fi
say "make run served GET /api/health = 200 after ${run_seconds}s"

start=$(date +%s)
say "make test"
set +e
in_chroot "make test" >"$LOGS/make-test.log" 2>&1
test_status=$?
set -e
test_seconds=$(( $(date +%s) - start ))
summary=$(grep -E "^=+ .*(passed|failed|error).* =+$" "$LOGS/make-test.log" | tail -1)
say "make test exited $test_status after ${test_seconds}s: $summary"
[ "$test_status" -eq 0 ] || tail -60 "$LOGS/make-test.log"
exit "$test_status"
