#!/bin/sh
# Runs inside `unshare -m`: binds the environment's folders onto Lambda's own paths in a private mount namespace
# (read-only /var/task, /var/runtime and /opt; this environment's /tmp), then execs the runtime from /var/task.
# Every source is bound before /tmp is covered, so sources under the host's /tmp still resolve.
# Usage: isolate.sh <tmp dir> <task root> <opt dir> <runtime dir or -> <command> [args…]
set -e
tmp="$1"; task="$2"; opt="$3"; runtime="$4"; shift 4
mount --make-rprivate / 2>/dev/null || true
mount --bind "$task" /var/task
mount -o remount,bind,ro /var/task
if [ "$runtime" != "-" ]; then
  mount --bind "$runtime" /var/runtime
  mount -o remount,bind,ro /var/runtime
fi
if [ "$opt" != "-" ]; then
  mount --bind "$opt" /opt
  mount -o remount,bind,ro /opt
fi
mount --bind "$tmp" /tmp
cd /var/task
exec "$@"
