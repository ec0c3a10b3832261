#!/usr/bin/env bash
# Issue 19 items 1 and 2: `./cxr convert DIR OUT --workers 1` against the reference recipe run as a
# tool, both as whole processes, side by side (docs/benchmarks.md#convert, "CLI: warm and cold").
# Rerun from the repository root (needs ../shared or CXR_SHARED_DIR, /usr/bin/python3 with pydicom,
# GDCM and OpenCV, /usr/bin/time; about 6 minutes with RUNS=5):
#   bash convert-service/bench/cli-bench.sh [OUT_DIR]
#
# Inputs: the 11 NEMA WG-04 CR files (cold) and the same files 5 times over (55 files, warm).
# One run = each of these once, in this order, every process under /usr/bin/time (wall, user+sys CPU
# of the process and its threads: the JVM's compiler and collector, OpenJPEG's workers):
#   ours   ./cxr convert IN OUT --workers 1 --quiet (CXR_NO_BUILD=1: the tree built below), i.e.
#          convert-service/bin/cxr-convert; ./cxr convert --version (the JVM's start)
#   ref    bench/reference_run.py: one interpreter imports reference_convert.py and runs its own
#          convert() + cv2.imwrite per file; --imports-only (interpreter start and imports)
# Figures are medians over RUNS runs; the 1-minute load average is printed before and after each.
#   warm (item 1): per image = (T(55 files) - T(start)) / 55, start = --version for ours, the
#                  imports for the reference (so our native-library loading counts against us, its
#                  cv2 import does not)
#   cold (item 2): T(11 files), start included on both sides
# The first run after a build writes the class-data-sharing archive (bin/cxr-convert); it is made
# (and timed: "first run after a build") before the measured runs.
# BEFORE=/path/to/an/older/checkout (built: mvn -pl convert-service package -DskipTests) adds that
# tree's converter as a third side, started the way its ./cxr started it then: its
# bin/cxr-convert when it has one, else java -cp target/classes + the module's whole classpath.txt
# (e.g. the tree before issue 19's changes):
#   mkdir /tmp/before && git archive a29051f^ pom.xml convert-service | tar -x -C /tmp/before
#   (cd /tmp/before/convert-service && mvn -q -o -B package -DskipTests)
# (a tree with bin/cxr-convert alone outside the repository: package it with
#  -Dmaven.test.skip=true -Dquarkus.build.skip=true -Dquarkus.generate-code.skip=true)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SHARED=${CXR_SHARED_DIR:-$ROOT/../shared}
OUT=${1:-/tmp/cxr-cli-bench}
RUNS=${RUNS:-5}
PY=/usr/bin/python3
REF="$ROOT/convert-service/bench/reference_run.py"
RECIPE="$SHARED/tools/reference_convert.py"
rm -rf "$OUT" && mkdir -p "$OUT/in11" "$OUT/in55"
cp "$SHARED"/data/dicom/cr-wg04/*.dcm "$OUT/in11/"
for k in 1 2 3 4 5; do
  for f in "$OUT"/in11/*.dcm; do cp "$f" "$OUT/in55/$(basename "$f" .dcm)_$k.dcm"; done
done

mvn -q -o -B -DskipTests -pl convert-service package >/dev/null
rm -f convert-service/target/convert-cli.jsa
TIMES="$OUT/times.txt"
: > "$TIMES"
load() { cut -d' ' -f1 /proc/loadavg; }
timed() { # timed LABEL COMMAND...: appends "LABEL wall user sys" to $TIMES; a failed command stops the run
  local label=$1; shift
  if ! /usr/bin/time -f "$label %e %U %S" -a -o "$TIMES" "$@" >/dev/null 2>"$OUT/stderr.txt"; then
    echo "cli-bench: $label failed (exit status in $TIMES)" >&2; tail -5 "$OUT/stderr.txt" >&2; exit 1
  fi
}
# commands, not functions: /usr/bin/time runs programs
ours=(env CXR_NO_BUILD=1 ./cxr convert)
if [ -n "${BEFORE:-}" ] && [ -x "$BEFORE/convert-service/bin/cxr-convert" ]; then
  older=("$BEFORE/convert-service/bin/cxr-convert") # its own launcher (its archive is written below)
elif [ -n "${BEFORE:-}" ]; then
  older=(java -cp "$BEFORE/convert-service/target/classes:$(cat "$BEFORE/convert-service/target/classpath.txt")" \
    org.cxr.convert.cli.ConvertCommand)
fi

echo "# $(nproc) cores, $(java -version 2>&1 | head -1), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
timed first-run-after-build "${ours[@]}" "$OUT/in11" "$OUT/o" --workers 1 --quiet
[ -z "${BEFORE:-}" ] || "${older[@]}" "$OUT/in11" "$OUT/o" --workers 1 --quiet >/dev/null 2>&1
for run in $(seq "$RUNS"); do
  load0=$(load)
  rm -rf "$OUT/o"; timed ours-11 "${ours[@]}" "$OUT/in11" "$OUT/o" --workers 1 --quiet
  rm -rf "$OUT/o"; timed ref-11 "$PY" "$REF" "$RECIPE" "$OUT/in11" "$OUT/o"
  rm -rf "$OUT/o"; timed ours-55 "${ours[@]}" "$OUT/in55" "$OUT/o" --workers 1 --quiet
  rm -rf "$OUT/o"; timed ref-55 "$PY" "$REF" "$RECIPE" "$OUT/in55" "$OUT/o"
  timed ours-start "${ours[@]}" --version
  timed ref-start "$PY" "$REF" "$RECIPE" --imports-only
  if [ -n "${BEFORE:-}" ]; then
    rm -rf "$OUT/o"; timed before-11 "${older[@]}" "$OUT/in11" "$OUT/o" --workers 1 --quiet
    rm -rf "$OUT/o"; timed before-55 "${older[@]}" "$OUT/in55" "$OUT/o" --workers 1 --quiet
    timed before-start "${older[@]}" --version
  fi
  echo "# run $run: load $load0 -> $(load)"
done
# the JPGs: ours and the reference's are the same bytes
rm -rf "$OUT/o" "$OUT/r"
"${ours[@]}" "$OUT/in11" "$OUT/o" --workers 1 --quiet 2>/dev/null
"$PY" "$REF" "$RECIPE" "$OUT/in11" "$OUT/r" 2>/dev/null
identical=0
for f in "$OUT"/r/*.jpg; do cmp -s "$f" "$OUT/o/$(basename "$f")" && identical=$((identical + 1)); done
echo "# JPGs byte-identical to the reference's: $identical of $(ls "$OUT"/r/*.jpg | wc -l)"

"$PY" - "$TIMES" <<'PY'
import collections, statistics, sys
t = collections.defaultdict(list)
for line in open(sys.argv[1]):
    label, wall, user, system = line.split()[-4:]
    t[label].append((float(wall), float(user) + float(system)))
med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v), len(v)) for k, v in t.items()}
def row(what, ours, ref):
    print(f"| {what} | {ours[0]:.3f} | {ref[0]:.3f} | **{ours[0] / ref[0]:.2f}** | {ours[1]:.3f} | {ref[1]:.3f} | **{ours[1] / ref[1]:.2f}** |")
print("| measure | ours wall s | reference wall s | ratio | ours CPU s | reference CPU s | ratio |")
print("|---|---:|---:|---:|---:|---:|---:|")
per = lambda k, s: ((med[k][0] - med[s][0]) / 55, (med[k][1] - med[s][1]) / 55)
row("warm: per image, 55 files, start subtracted", per("ours-55", "ours-start"), per("ref-55", "ref-start"))
row("cold: 11 files, whole process", med["ours-11"], med["ref-11"])
row("start alone (--version / imports)", med["ours-start"], med["ref-start"])
row("55 files, whole process", med["ours-55"], med["ref-55"])
if "before-55" in med:
    row("before: warm per image", per("before-55", "before-start"), per("ref-55", "ref-start"))
    row("before: cold, 11 files", med["before-11"], med["ref-11"])
    row("before: start alone", med["before-start"], med["ref-start"])
f = med["first-run-after-build"]
print(f"\nfirst run after a build (writes the archive): wall {f[0]:.2f} s, CPU {f[1]:.2f} s; runs: {med['ours-11'][2]}")
PY
