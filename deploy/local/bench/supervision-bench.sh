#!/bin/bash
# The local platform as ./cxr runs it: time to ready (new and existing data directory), memory of each
# process, and for each process killed with SIGKILL the time until the supervisor has it serving again
# (servers: the process is back "up"; services: readiness answers UP), then ./cxr down.
# Usage: deploy/local/bench/supervision-bench.sh [DATA_DIR]     (services packaged, deploy/local built)
set -euo pipefail
cd "$(dirname "$0")/../../.."
dir="${1:-$(mktemp -d /tmp/cxr-bench-XXXX)}"
ports=""; for p in kafka postgres s3 ingest convert label catalog; do
  ports="$ports --$p-port $(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')"; done
cxr() { CXR_NO_BUILD=1 ./cxr "$@" --data-dir "$dir" $ports; }
now() { date +%s%N; }
secs() { python3 -c "print(f'{($(now) - $1) / 1e9:.1f}')"; }
field() { python3 -c "import json;print(json.load(open('$dir/platform.json'))$1)"; }
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
t=$(now); cxr up > /dev/null; echo "up, new data directory: $(secs "$t") s"
t=$(now); cxr down > /dev/null; echo "down: $(secs "$t") s"
t=$(now); cxr up > /dev/null; echo "up, existing data directory: $(secs "$t") s"
echo "memory (RSS / PSS MB):"
for n in supervisor kafka postgres s3 ingest convert label catalog; do
  if [ "$n" = supervisor ]; then pid=$(field "['supervisorPid']"); else pid=$(field "['processes']['$n']['pid']"); fi
  pids="$pid"; [ "$n" = postgres ] && pids="$pid $(pgrep -P "$pid" || true)"   # the postmaster and its backends
  python3 - "$n" $pids <<'PY'
import sys
rss=pss=0
for pid in sys.argv[2:]:
    try:
        for l in open(f'/proc/{pid}/smaps_rollup'):
            if l.startswith('Rss:'): rss+=int(l.split()[1])
            if l.startswith('Pss:'): pss+=int(l.split()[1])
    except FileNotFoundError: pass
print(f'  {sys.argv[1]:8} {rss//1024:5} / {pss//1024:5}')
PY
done
echo "SIGKILL -> serving again:"
for n in kafka postgres s3 ingest convert label catalog; do
  pid=$(field "['processes']['$n']['pid']"); t=$(now); kill -9 "$pid"
  while true; do
    sleep 0.2
    np=$(field "['processes']['$n']['pid']"); ph=$(field "['processes']['$n']['phase']")
    [ "$np" != "$pid" ] && [ "$ph" = up ] || continue
    url=$(field "['managementUrls'].get('$n','')")
    if [ -z "$url" ]; then break; fi
    pub=$(field "['serviceUrls']['$n']")
    code=$(curl -s -o /dev/null -w '%{http_code}' "$url/q/health/ready" || true)
    [ "$code" = 200 ] && break
    code=$(curl -s -o /dev/null -w '%{http_code}' "$pub/q/health/ready" || true)
    [ "$code" = 200 ] && break
  done
  echo "  $n: $(secs "$t") s (restarts $(field "['processes']['$n']['restarts']"))"
  sleep 5
done
t=$(now); cxr down; echo "down: $(secs "$t") s"
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
