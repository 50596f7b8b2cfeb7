#!/bin/sh
# Init (PID 1) of one environment's own mount and PID namespaces, started by `unshare -m -p -f --mount-proc`.
# Binds the environment's folders onto Lambda's paths (read-only /var/task, /var/runtime and /opt; this
# environment's /tmp), then runs the runtime as its child with every capability dropped (no remount, no umount)
# and, when the twin runs as real root, as Lambda's sbx_user1051 (uid 1051). When this init ends, the kernel kills
# whatever is left in the namespace, daemons that called setsid included. SIGTERM (SHUTDOWN) is passed on.
# Every source is bound before /tmp is covered, so sources under the host's /tmp still resolve.
# The runtime is started through the subreaper launcher (runtimes/reaper.c) when the twin has one: it writes how
# the runtime ended to the status file (opened before /tmp is covered), so that a runtime killed by a signal is
# reported as the signal, not as this init's `exit status 128+n`.
# Usage: isolate.sh <tmp dir> <task root> <opt dir or -> <runtime dir or -> <uid to run as, or -> <launcher or -> <status file or -> <command> [args…]
set -e
tmp="$1"; task="$2"; opt="$3"; runtime="$4"; uid="$5"; reaper="$6"; status_file="$7"; shift 7
reaped=""
if [ "$reaper" != "-" ] && [ "$status_file" != "-" ]; then
  exec 3>"$status_file"
  reaped="$reaper --status-fd 3 1"
fi
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
as_user=""
if [ "$uid" != "-" ]; then
  # Run as the unprivileged user only when it can reach the runtime's executable and every folder on its module
  # paths (an interpreter under /root, or a library cache in a checkout below a 0700 folder, cannot be): otherwise
  # stay uid 0, still without any capability, and say which path was out of reach.
  # The paths: the module path variables' folders, and every absolute path in the runtime's arguments (a JVM's
  # class path, a bootstrap in the user's cache), split at ':' and '='.
  paths=""
  old_ifs="$IFS"; IFS=":="
  # shellcheck disable=SC2048,SC2086 # split on purpose
  for p in ${NODE_PATH:-} ${PYTHONPATH:-} ${RUBYLIB:-} ${GEM_PATH:-} $*; do
    case "$p" in
      /tmp|/tmp/*|/var/task|/var/task/*|/var/runtime|/var/runtime/*|/opt|/opt/*) ;; # the environment's own
      /*) if [ -e "$p" ]; then paths="$paths$p:"; fi ;;
    esac
  done
  IFS="$old_ifs"
  # shellcheck disable=SC2016 # expanded by the inner shell
  unreachable=$(setpriv --reuid "$uid" --regid "$uid" --clear-groups /bin/sh -c '
    [ -x "$1" ] || { echo "$1"; exit 1; }
    IFS=":"; for p in $2; do
      if [ -d "$p" ]; then [ -r "$p" ] && [ -x "$p" ]; else [ -r "$p" ]; fi || { echo "$p"; exit 1; }
    done' sh "$1" "$paths" || true)
  if [ -z "$unreachable" ]; then
    chown "$uid:$uid" /tmp
    as_user="--reuid $uid --regid $uid --clear-groups"
  else
    echo "lambda-twin: $unreachable is not reachable by uid $uid; the runtime runs as root without capabilities" >&2
  fi
fi
set +e
# shellcheck disable=SC2086 # reaped and as_user are lists of words
$reaped setpriv $as_user --inh-caps=-all --bounding-set=-all --no-new-privs -- "$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM
trap 'kill -INT "$child" 2>/dev/null' INT
status=0
while :; do
  wait "$child"
  status=$?
  kill -0 "$child" 2>/dev/null || break
done
exit "$status"
