#!/bin/bash
# Issue 19 item 4: the whole platform against the converter alone, on the same DICOM files.
#  1. the tree: ./cxr generate TREE --studies 150 --seed 7 --no-phi --layout mimic (made once, kept);
#  2. ./cxr convert TREE/files OUT --workers 2: wall and CPU (utime+stime of the process and children);
#  3. a fresh ./cxr up in its own data directory (free ports), ./cxr import TREE --layout mimic, then
#     the catalog's /stats/states polled every second until every study is COMPLETE: wall from the
#     import's start, and CPU-seconds (utime+stime from /proc/<pid>/stat) of every process over that
#     time - supervisor, Kafka broker, S3 server, PostgreSQL (postmaster, its backends and the ones
#     that exited), the four services, the import CLI, and each process's peak resident memory so far
#     (VmHWM); then ./cxr down.
#  4. with --second: a second tree (seed 8, other studies) imported into the now warm platform and
#     measured the same way: the steady state of a platform that keeps running (JIT done).
# Usage: deploy/local/bench/platform-import-bench.sh [--second] [--s3-requests] [--profile] [--skip-convert]
#   (services packaged and deploy/local built; nothing is built here)
#   --s3-requests: the S3 server logs every request (S3Proxy's debug log) and they are counted per
#                  method and bucket; this costs the S3 server CPU, so its figures are not the plain run's.
#   --profile:     a JFR recording (default settings) of every JVM of the platform during the import,
#                  in $CXR_BENCH_DIR/jfr/<name>.jfr (jfr print --events jdk.ExecutionSample ...).
# Environment: CXR_BENCH_DIR (default /tmp/cxr-platform-bench: the cached trees, the run's data and logs);
#   CXR_JVM_OPTS_<PROCESS> (KAFKA, S3, INGEST, CONVERT, LABEL, CATALOG): extra JVM options of that
#   process, passed on by ./cxr up (to compare JIT settings without a rebuild).
set -euo pipefail
cd "$(dirname "$0")/../../.."
s3req=0; convert=1; profile=0; second=0
for a in "$@"; do case "$a" in
  --second) second=1 ;; --s3-requests) s3req=1 ;; --skip-convert) convert=0 ;; --profile) profile=1 ;;
  *) echo "unknown option $a" >&2; exit 2 ;; esac; done
work="${CXR_BENCH_DIR:-/tmp/cxr-platform-bench}"
tree="$work/tree"
mkdir -p "$work"
export CXR_NO_BUILD=1
now() { date +%s%N; }
secs() { python3 -c "print(f'{($2 - $1) / 1e9:.1f}')" "$1" "$2"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

generate() { # DIR SEED: the tree, made once
  if [ ! -f "$1/.complete" ]; then
    rm -rf "$1"
    ./cxr generate "$1" --studies 150 --seed "$2" --no-phi --layout mimic > "$work/generate.log" 2>&1
    touch "$1/.complete"
  fi
}
generate "$tree" 7
[ "$second" = 0 ] || generate "$work/tree-s8" 8
images=$(find "$tree/files" -name '*.dcm' | wc -l)
echo "tree $tree: $images images, $(du -sm "$tree/files" | cut -f1) MB; load $(load)"

if [ "$convert" = 1 ]; then
  rm -rf "$work/convert-out"
  l0=$(load)
  /usr/bin/time -f '%e %U %S' -o "$work/convert.time" ./cxr convert "$tree/files" "$work/convert-out" --workers 2 --quiet \
    > "$work/convert.log" 2>&1
  read -r cw cu cs < "$work/convert.time"
  echo "convert --workers 2: wall $cw s, CPU $(python3 -c "print(f'{$cu + $cs:.1f}')") s (user $cu, sys $cs);" \
    "$(find "$work/convert-out" -name '*.jpg' | wc -l) JPGs; load before $l0, after $(load)"
fi

data="$work/data"
rm -rf "$data"
export CXR_DATA_DIR="$data"
# port 0: the launcher picks free ports outside the ephemeral range (FreePorts), which no client takes meanwhile
ports=""; for p in kafka postgres s3 ingest convert label catalog; do ports="$ports --$p-port 0"; done
trap './cxr down --data-dir "$data" > "$work/down.log" 2>&1 || true' EXIT
logback="$work/logback-s3-requests.xml"
tup=$(now)
if [ "$s3req" = 1 ]; then
  # the infra JVMs' logging (deploy/local/src/main/resources/logback.xml) plus S3Proxy's request lines
  cat > "$logback" <<'XML'
<configuration>
  <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
    <target>System.err</target>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%logger{20}] %msg%n</pattern></encoder>
  </appender>
  <logger name="org.cxr" level="INFO"/>
  <logger name="org.gaul.s3proxy.S3ProxyHandler" level="DEBUG"/>
  <root level="WARN"><appender-ref ref="STDERR"/></root>
</configuration>
XML
  JAVA_TOOL_OPTIONS="-Dlogback.configurationFile=$logback" ./cxr up --data-dir "$data" $ports > "$work/up.log" 2>&1
else
  ./cxr up --data-dir "$data" $ports > "$work/up.log" 2>&1
fi
echo "./cxr up: $(secs "$tup" "$(now)") s; load $(load)"
state="$data/platform.json"
catalog=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['serviceUrls']['catalog'])" "$state")
token=$(./cxr token --role researcher --role operator --ttl 2h)
export CXR_TOKEN="$token" # the import CLI's token: made here so that its JVM is not counted with the import

# CPU-seconds of every process of the platform and of its threads (by name, numbers dropped), as JSON
cpu() {
  python3 - "$state" <<'PY'
import json, os, re, sys
hz = os.sysconf('SC_CLK_TCK')
st = json.load(open(sys.argv[1]))
def stat(path):
    try:
        s = open(path).read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return s[s.index('(') + 1:s.rindex(')')], [int(x) for x in s.rsplit(')', 1)[1].split()[11:15]]
def tree(pid):  # the process and its descendants (PostgreSQL's backends; the supervisor's are counted apart)
    out = [pid]
    try:
        for t in os.listdir(f'/proc/{pid}/task'):
            for c in open(f'/proc/{pid}/task/{t}/children').read().split():
                out += tree(int(c))
    except FileNotFoundError:
        pass
    return out
out = {'cpu': {}, 'threads': {}}
procs = {'supervisor': st['supervisorPid']} | {n: p['pid'] for n, p in st['processes'].items()}
for name, pid in procs.items():
    # utime+stime+cutime+cstime of each live process: the descendants that exited are counted once,
    # in the process that reaped them (a restarted child's would land in the supervisor: see below)
    total, threads = 0, {}
    for p in (tree(pid) if name == 'postgres' else [pid]):
        s = stat(f'/proc/{p}/stat')
        if s:
            total += sum(s[1])
    out['cpu'][name] = total / hz
    try:
        for t in os.listdir(f'/proc/{pid}/task'):
            s = stat(f'/proc/{pid}/task/{t}/stat')
            if s:
                k = re.sub(r'[-#]?[0-9]+', '#', s[0])
                threads[k] = threads.get(k, 0) + (s[1][0] + s[1][1]) / hz
    except FileNotFoundError:
        pass
    out['threads'][name] = threads
def hwm(pid):  # peak resident memory (VmHWM) in MB
    try:
        return int(next(l for l in open(f'/proc/{pid}/status') if l.startswith('VmHWM:')).split()[1]) / 1024
    except (FileNotFoundError, StopIteration):
        return 0
out['hwm'] = {n: hwm(p) for n, p in procs.items()}
out['restarts'] = {n: p['restarts'] for n, p in st['processes'].items()}
out['pids'] = procs
print(json.dumps(out))
PY
}
jvms() { python3 -c "import json,sys;st=json.load(open(sys.argv[1]));[print(n,p['pid']) for n,p in st['processes'].items() if n!='postgres']" "$state"; }
sleep 5 # let the services finish their start-up work before the first sample
# imports TREE and waits until COMPLETE studies reach TARGET; prints wall and CPU of every process
measure() {
local tree="$1" studies="$2" label="$3" imp timport complete t0 t1 before after l0 l1 iw iu is
if [ "$profile" = 1 ]; then
  mkdir -p "$work/jfr"
  jvms | while read -r n pid; do jcmd "$pid" JFR.start name=bench > /dev/null; done
fi
before=$(cpu)
l0=$(load)
t0=$(now)
/usr/bin/time -f '%e %U %S' -o "$work/import-$label.time" ./cxr import "$tree" --layout mimic > "$work/import-$label.log" 2>&1 &
imp=$!
timport=""
while true; do
  sleep 1
  if [ -z "$timport" ] && ! kill -0 "$imp" 2>/dev/null; then
    wait "$imp" || { echo "import failed:"; tail -20 "$work/import-$label.log"; exit 1; }
    timport=$(now)
  fi
  complete=$(curl -s -H "Authorization: Bearer $token" "$catalog/stats/states" \
    | python3 -c "import json,sys;print(json.load(sys.stdin).get('studiesByState',{}).get('COMPLETE',0))" 2>/dev/null || echo 0)
  if [ "$complete" -ge "$studies" ] && [ -n "$timport" ]; then break; fi
  if [ $(( ($(now) - t0) / 1000000000 )) -gt 1800 ]; then echo "not COMPLETE after 30 min ($complete of $studies)"; exit 1; fi
done
t1=$(now)
after=$(cpu)
if [ "$profile" = 1 ]; then
  jvms | while read -r n pid; do jcmd "$pid" JFR.dump name=bench filename="$work/jfr/$n-$label.jfr" > /dev/null; done
fi
l1=$(load)
read -r iw iu is < "$work/import-$label.time"
echo "platform, $label: import $(secs "$t0" "$timport") s, every study COMPLETE at $(secs "$t0" "$t1") s; load before $l0, after $l1"
python3 - "$before" "$after" "$iu" "$is" "$(find "$tree/files" -name '*.dcm' | wc -l)" "$(secs "$t0" "$t1")" "${cu:-0}" "${cs:-0}" "$label" <<'PY'
import json, sys
b, a = json.loads(sys.argv[1]), json.loads(sys.argv[2])
iu, is_, n, wall, cu, cs = (float(x) for x in sys.argv[3:9])
label = sys.argv[9]
same = [k for k in b['pids'] if b['pids'][k] == a['pids'][k]]
rows = [(k, a['cpu'][k] - b['cpu'][k]) for k in same]
rows.append(('import CLI', iu + is_))
total = sum(v for _, v in rows)
print(f"{'process':12} {'CPU s':>7} {'ms/image':>9} {'share':>6} {'peak RSS MB':>12}   threads (CPU s)")
for k, v in sorted(rows, key=lambda r: -r[1]):
    th = a['threads'].get(k, {})
    d = sorted(((th[t] - b['threads'][k].get(t, 0), t) for t in th), reverse=True)[:6]
    print(f"{k:12} {v:7.1f} {1000 * v / n:9.0f} {100 * v / total:5.0f}% {a['hwm'].get(k, 0):12.0f}   " + ", ".join(f"{t} {x:.1f}" for x, t in d if x >= 0.05))
print(f"{'total':12} {total:7.1f} {1000 * total / n:9.0f}   (wall {wall} s x 2 cores = {2 * wall:.0f} CPU-s available)")
if cu + cs > 0:
    print(f"CPU ratio platform / convert: {total / (cu + cs):.2f}")
if label == 'first':  # what each process spent from its start until just before the import
    print("before the import (start-up + 5 s idle), CPU s: " + ", ".join(f"{k} {v:.1f}" for k, v in
          sorted(b['cpu'].items(), key=lambda r: -r[1])) + f"; total {sum(b['cpu'].values()):.1f}")
changed = [k for k in b['pids'] if k not in same]
if changed or a['restarts'] != b['restarts']:
    print(f"RESTARTED during the run (their CPU is not counted): {changed} {a['restarts']}")
PY
grep -h 'DONE\|instances:\|reports:' "$work/import-$label.log" | tail -3
}
count() { find "$1/files" -mindepth 3 -maxdepth 3 -type d -name 's*' | wc -l; }
rm -rf "$work/jfr"
measure "$tree" "$(count "$tree")" first
[ "$second" = 0 ] || measure "$work/tree-s8" "$(( $(count "$tree") + $(count "$work/tree-s8") ))" second
if [ "$s3req" = 1 ]; then
  echo "S3 requests by method, bucket and kind (S3Proxy's debug log, $data/logs/s3.log):"
  # lines look like "... request: ...{PUT@1a2b http://127.0.0.1:PORT/cxr-jpg/announced/ID.json HTTP/1.1}..."
  grep -o '{[A-Z]*@[0-9a-f]* http://[^ ?]*' "$data/logs/s3.log" \
    | sed 's|{\([A-Z]*\)@[0-9a-f]* http://[^/]*/\([^/]*\)\(/[^/]*\)\{0,1\}.*|\1 \2 \3|' \
    | awk '{k = $3 == "" ? "(bucket)" : $3 ~ /^\/(files|p[0-9])/ ? "object" : "object " $3; print $1, $2, k}' \
    | sort | uniq -c | sort -rn
fi
