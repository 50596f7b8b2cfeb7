#!/bin/sh
# Runs inside `unshare -m`: gives the environment its own /tmp and a read-only task root, then execs the runtime.
# Usage: isolate.sh <tmp dir> <task root> <command> [args…]
set -e
tmp="$1"; task="$2"; shift 2
mount --make-rprivate / 2>/dev/null || true
mount --bind "$tmp" /tmp
mount --bind "$task" "$task"
mount -o remount,bind,ro "$task"
exec "$@"
