#!/usr/bin/env bash
# The newcomer's check: clones the current commit into a temporary folder and runs the README's two commands
# ("The two commands" block) exactly as written there, one after the other, then prints pass/fail and time for each.
#
#   scripts/fresh-clone-check.sh               the real check (a fresh clone builds everything: ~20+ min on 2 cores)
#   scripts/fresh-clone-check.sh --dry-run     clone and show the commands, running `true` in their place
#   scripts/fresh-clone-check.sh --busy-core   keep one core busy with a busy loop while the commands run
#   scripts/fresh-clone-check.sh --with-cache  copy this checkout's test/.cache (slow test preparations) into the clone
#   scripts/fresh-clone-check.sh --keep        keep the clone (its folder and logs are printed)
#
# Exit code 0 when every command passed, 1 when one failed, 2 for bad arguments or a README without the commands.
set -uo pipefail

dry_run=0 busy=0 with_cache=0 keep=0
for arg in "$@"; do
  case "$arg" in
    --dry-run) dry_run=1 ;;
    --busy-core) busy=1 ;;
    --with-cache) with_cache=1 ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fresh-clone-check: unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done

repo="$(cd "$(dirname "$0")/.." && pwd)"
commit="$(git -C "$repo" rev-parse HEAD)"
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
  echo "fresh-clone-check: note: uncommitted changes in $repo are not part of the check (it clones $commit)" >&2
fi

# The commands: the lines of the first ```sh block after the "## The two commands" heading, comments dropped.
mapfile -t commands < <(awk '
  /^## The two commands/ { section = 1; next }
  section && /^## / { exit }
  section && /^```sh/ { inblock = 1; next }
  inblock && /^```/ { exit }
  inblock { sub(/[ \t]+#.*$/, ""); if ($0 != "") print }
' "$repo/README.md")
if [ ${#commands[@]} -eq 0 ]; then
  echo "fresh-clone-check: README.md has no \`sh\` block under \"## The two commands\"" >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/lambda-twin-fresh-clone-XXXXXX")"
busy_pid=""
cleanup() {
  if [ -n "$busy_pid" ]; then kill "$busy_pid" 2>/dev/null; wait "$busy_pid" 2>/dev/null; fi
  if [ "$keep" = 1 ]; then echo "fresh-clone-check: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

clone="$work/lambda-twin"
echo "fresh-clone-check: cloning $commit into $clone"
git clone --quiet --no-hardlinks "$repo" "$clone" && git -C "$clone" checkout --quiet --detach "$commit" || {
  echo "fresh-clone-check: the clone failed" >&2
  exit 1
}
if [ "$with_cache" = 1 ] && [ -d "$repo/test/.cache" ]; then
  mkdir -p "$clone/test/.cache"
  for entry in "$repo"/test/.cache/*; do
    case "$(basename "$entry")" in jest) ;; *) cp -a "$entry" "$clone/test/.cache/" ;; esac
  done
  echo "fresh-clone-check: copied test/.cache preparations from $repo"
fi

if [ "$busy" = 1 ]; then
  sh -c 'while :; do :; done' &
  busy_pid=$!
  echo "fresh-clone-check: a busy loop (pid $busy_pid) keeps one core busy"
fi

results=()
status=0
for i in "${!commands[@]}"; do
  cmd="${commands[$i]}"
  log="$work/command-$((i + 1)).log"
  echo "fresh-clone-check: \$ $cmd    (log: $log)"
  start=$(date +%s)
  if [ "$dry_run" = 1 ]; then
    (cd "$clone" && true) >"$log" 2>&1
  else
    (cd "$clone" && bash -c "$cmd") >"$log" 2>&1
  fi
  rc=$?
  seconds=$(( $(date +%s) - start ))
  if [ $rc -eq 0 ]; then verdict=pass; else verdict="FAIL (exit code $rc)"; status=1; fi
  results+=("$(printf '%-28s %-20s %4d:%02d' "$cmd" "$verdict" $((seconds / 60)) $((seconds % 60)))")
  if [ $rc -ne 0 ]; then
    echo "fresh-clone-check: the last lines of its output:"
    tail -n 30 "$log" | sed 's/^/  | /'
    keep=1
  fi
done

echo
echo "fresh-clone-check: commit $commit on $(nproc) cores$([ "$busy" = 1 ] && echo ', one kept busy')$([ "$dry_run" = 1 ] && echo ' (dry run)')"
printf '%-28s %-20s %7s\n' command result 'min:s'
for line in "${results[@]}"; do echo "$line"; done
exit $status
