#!/usr/bin/env bash
# Convert benchmarks (docs/benchmarks.md, section "convert"). Rerun from the repository root:
#   bash convert-service/bench/convert-bench.sh [OUT_DIR]
# Needs ../shared (or CXR_SHARED_DIR), /usr/bin/python3 with pydicom+gdcm+opencv, taskset, /usr/bin/time.
# 1. per-image time, ours (CLI, warm JVM, CPU 0) vs the reference (warm interpreter, CPU 1) run at the
#    same time on the same single-frame files, WARMUP passes then the median of MEASURE passes per file;
#    medians per transfer syntax;
# 2. JPEG encode of a 2500x3000 image: ours (bytedeco OpenCV) and ImageIO on CPU 0, Python cv2 on CPU 1;
# 3. peak RSS of the CLI converting the whole shared set with 2 workers.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SHARED=${CXR_SHARED_DIR:-$ROOT/../shared}
OUT=${1:-/tmp/cxr-convert-bench}
WARMUP=${WARMUP:-2}
MEASURE=${MEASURE:-5}
rm -rf "$OUT" && mkdir -p "$OUT"
mvn -q -o -DskipTests -pl convert-service test-compile >/dev/null
CP="convert-service/target/classes:convert-service/target/test-classes:$(cat convert-service/target/classpath.txt)"
CLI_CP="convert-service/target/classes:$(cat convert-service/target/classpath.txt)"

echo "# machine: $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# the files the reference converts (single-frame, with pixel data): copied into one flat folder
SET="$OUT/set" && mkdir -p "$SET"
( cd "$SHARED/data/dicom" && for f in */*.dcm; do
    if /usr/bin/python3 "$SHARED/tools/reference_convert.py" "$f" "$OUT/probe.jpg" >/dev/null 2>&1; then
      cp "$f" "$SET/$(echo "$f" | tr / _)"; fi; done )
echo "# files: $(ls "$SET" | wc -l)"

# 1. per-image times: ours on CPU 0 and the reference on CPU 1 at the same time, so that both see
#    the same background load
taskset -c 0 java -cp "$CLI_CP" org.cxr.convert.cli.ConvertCommand "$SET" "$OUT/ours" --workers 1 \
  --warmup-passes "$WARMUP" --measure-passes "$MEASURE" --timings "$OUT/ours.csv" --quiet 2>/dev/null &
OURS_PID=$!
( cd "$SET" && taskset -c 1 /usr/bin/python3 "$ROOT/convert-service/bench/reference_timing.py" \
  "$SHARED/tools/reference_convert.py" "$OUT/ref" "$WARMUP" "$MEASURE" *.dcm > "$OUT/ref.csv" )
wait $OURS_PID || true
/usr/bin/python3 - "$OUT/ours.csv" "$OUT/ref.csv" <<'PY'
import csv, statistics, sys
ours = {r["file"]: r for r in csv.DictReader(open(sys.argv[1]))}
ref = {r["file"]: r for r in csv.DictReader(open(sys.argv[2]))}
by_ts = {}
for f, r in ref.items():
    o = ours.get(f)
    if r["status"] != "OK" or o is None or o["status"] != "OK":
        continue
    by_ts.setdefault(o["transfer_syntax"], []).append((float(o["with_write_ms"]), float(r["ms"])))
print("| transfer syntax | files | ours median ms | reference median ms | ratio |")
print("|---|---:|---:|---:|---:|")
allo, allr = [], []
for ts in sorted(by_ts):
    o = [x for x, _ in by_ts[ts]]; r = [y for _, y in by_ts[ts]]
    allo += o; allr += r
    mo, mr = statistics.median(o), statistics.median(r)
    print(f"| {ts} | {len(o)} | {mo:.1f} | {mr:.1f} | {mo / mr:.2f} |")
mo, mr = statistics.median(allo), statistics.median(allr)
print(f"| all | {len(allo)} | {mo:.1f} | {mr:.1f} | {mo / mr:.2f} |")
print(f"sum ours {sum(allo):.0f} ms, reference {sum(allr):.0f} ms, ratio {sum(allo) / sum(allr):.2f}")
PY

# 2. JPEG encode 2500x3000: the test image first, then ours (CPU 0) and Python cv2 (CPU 1) together
java -cp "$CP" org.cxr.convert.natives.EncodeBench "$SHARED/data/dicom/cr-wg04/RG2_UNC.dcm" "$OUT/encode" 1 >/dev/null
taskset -c 0 java -cp "$CP" org.cxr.convert.natives.EncodeBench "$SHARED/data/dicom/cr-wg04/RG2_UNC.dcm" "$OUT/encode-timed" 41 \
  > "$OUT/encode-java.txt" &
ENC_PID=$!
taskset -c 1 /usr/bin/python3 - "$OUT/encode/encode-2500x3000.png" "$OUT/encode/encode-2500x3000-ours.jpg" <<'PY'
import statistics, sys, time, cv2
img = cv2.imread(sys.argv[1], cv2.IMREAD_GRAYSCALE)
ts = []
for i in range(46):
    t0 = time.perf_counter(); ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 95]); t = time.perf_counter() - t0
    if i >= 5: ts.append(t * 1000)
ours = open(sys.argv[2], "rb").read()
print(f"python_cv2_imencode_ms,{statistics.median(ts):.1f},bytes,{len(buf)},identical_to_ours,{bytes(buf) == ours}")
PY
wait $ENC_PID || true
cat "$OUT/encode-java.txt"

# 3. peak memory, whole shared set, 2 workers
/usr/bin/time -v java ${CXR_JAVA_OPTS:-} -cp "$CLI_CP" org.cxr.convert.cli.ConvertCommand "$SHARED/data/dicom" "$OUT/all" \
  --workers 2 --quiet 2> "$OUT/time.txt" || true
grep -E "Maximum resident|Elapsed" "$OUT/time.txt"
grep -E "^converted|^failed" "$OUT/time.txt" || true
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
