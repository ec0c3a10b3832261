#!/usr/bin/env bash
# Does scrubbing change what the labelers find? Scrubs the Open-i reports with the ingest scrubber
# (./cxr scrub) and runs ./cxr label-eval openi on the raw and the scrubbed reports; prints both
# macro F1 lines of each table and their largest difference (issue 13: must stay under 0.005).
# Run from the repository root: bash ingest-service/src/build/scrub-label-f1.sh [SHARED_DIR]
set -euo pipefail
shared=${1:-${CXR_SHARED_DIR:-../shared}}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
openi=data/reports/openi-iu-reports/indiana_reports.csv
gold=data/reports/negbio-openi-gold/openi_gld_std14.csv
mkdir -p "$tmp/scrubbed/$(dirname $openi)" "$tmp/scrubbed/$(dirname $gold)"
./cxr scrub "$shared/$openi" "$tmp/scrubbed/$openi"
cp "$shared/$gold" "$tmp/scrubbed/$gold"
./cxr label-eval openi --shared "$shared" > "$tmp/raw.md"
./cxr label-eval openi --shared "$tmp/scrubbed" > "$tmp/scrubbed.md"
echo "masks written: $(grep -o '___' "$tmp/scrubbed/$openi" | wc -l)"
paste <(grep -E '^###|macro F1' "$tmp/raw.md") <(grep -E '^###|macro F1' "$tmp/scrubbed.md" | sed 's/^/scrubbed: /') \
  | tr '\t' '\n'
python3 - "$tmp/raw.md" "$tmp/scrubbed.md" <<'PY'
import re, sys
def f1s(p):
    return [float(x) for line in open(p) if 'macro F1' in line for x in re.findall(r'\*\*(\d\.\d+)\*\*', line)]
a, b = f1s(sys.argv[1]), f1s(sys.argv[2])
print("largest |macro F1 difference|: %.4f over %d tables" % (max(abs(x - y) for x, y in zip(a, b)), len(a)))
PY
