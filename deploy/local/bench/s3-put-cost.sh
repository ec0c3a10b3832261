#!/bin/bash
# CPU of the local S3 server (S3Proxy, as ./cxr up runs it: ServerMain s3, serial collector) per PUT of
# an 11 MiB object (a mean DICOM of the issue-19 tree), by how the upload is signed (curl):
#   signed   x-amz-content-sha256 = the payload's SHA-256 + x-amz-checksum-sha256 (what ObjectStore sent until 2026-12-07)
#   unsigned x-amz-content-sha256 = UNSIGNED-PAYLOAD   + x-amz-checksum-sha256 (what it sends now; a wrong one is refused)
#   bare     UNSIGNED-PAYLOAD, no checksum header (no integrity check by the server: for comparison only)
# and per GET; then through ObjectStore itself (S3PutCostBench in libs/platform's tests): a byte array, a
# 24 MiB file in one PUT, the same as a multipart stream (ingest's large files until 2026-12-07).
# utime+stime of the server JVM (and of the client JVM) around each batch, after a warm-up batch.
# Usage: deploy/local/bench/s3-put-cost.sh [PUTS_PER_BATCH] [CLIENTS]   (deploy/local built; needs curl >= 7.75)
#   CLIENTS: ObjectStore uploads at once (default 1; the curl part is always one at a time)
set -euo pipefail
cd "$(dirname "$0")/../../.."
n="${1:-30}"
clients="${2:-1}"
work=$(mktemp -d /tmp/cxr-s3-put-cost-XXXX)
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
# the server stops when its stdin closes: a fifo held open by this script
mkfifo "$work/stdin"
java -Xmx384m -XX:+UseSerialGC -cp "deploy/local/target/classes:$(cat deploy/local/target/classpath.txt)" \
  org.cxr.local.infra.ServerMain s3 "$work" "$port" < "$work/stdin" > "$work/server.log" 2>&1 &
pid=$!
exec 3> "$work/stdin"
trap 'exec 3>&-; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
until grep -q CXR-SERVER-READY "$work/server.log"; do kill -0 $pid; sleep 0.5; done
ak=$(cat "$work/secrets/s3-access-key"); sk=$(cat "$work/secrets/s3-secret-key")
url="http://127.0.0.1:$port"
s3() { curl -s -o /dev/null -w '%{http_code}' --aws-sigv4 "aws:amz:us-east-1:s3" --user "$ak:$sk" "$@"; }
s3 -X PUT -H "x-amz-content-sha256: $(sha256sum < /dev/null | cut -d' ' -f1)" "$url/bench" > /dev/null
head -c $((11 << 20)) /dev/urandom > "$work/obj.bin"
hex=$(sha256sum "$work/obj.bin" | cut -d' ' -f1)
b64=$(openssl dgst -sha256 -binary "$work/obj.bin" | base64)
put() { # mode key
  local h=(-H "Content-Type: application/dicom")
  case $1 in
    signed) h+=(-H "x-amz-content-sha256: $hex" -H "x-amz-sdk-checksum-algorithm: SHA256" -H "x-amz-checksum-sha256: $b64") ;;
    unsigned) h+=(-H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -H "x-amz-sdk-checksum-algorithm: SHA256" -H "x-amz-checksum-sha256: $b64") ;;
    bare) h+=(-H "x-amz-content-sha256: UNSIGNED-PAYLOAD") ;;
  esac
  s3 -X PUT "${h[@]}" --data-binary @"$work/obj.bin" "$url/bench/$2"
}
cpu() { awk '{print $14 + $15}' /proc/$pid/stat; }
batch() { # mode label
  local c0 bad=0; c0=$(cpu)
  for i in $(seq "$n"); do [ "$(put "$1" "$1-$i")" = 200 ] || bad=$((bad + 1)); done
  echo "$2 $1: $(( ($(cpu) - c0) * 1000 / $(getconf CLK_TCK) / n )) ms of S3 server CPU per 11 MiB PUT ($bad of $n refused)"
}
mvn -q -B -o -pl libs/platform test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/platform-classpath.txt" > /dev/null
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
for m in signed unsigned bare; do batch $m warm-up > /dev/null; done
for round in 1 2; do for m in signed unsigned bare; do batch $m "round $round:"; done; done
c0=$(cpu); for i in $(seq "$n"); do s3 "$url/bench/signed-$i" > /dev/null; done
echo "GET: $(( ($(cpu) - c0) * 1000 / $(getconf CLK_TCK) / n )) ms of S3 server CPU per 11 MiB GET"
wrong=$(echo -n x | openssl dgst -sha256 -binary | base64)
echo "unsigned with a wrong x-amz-checksum-sha256: HTTP $(s3 -X PUT -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
  -H "x-amz-sdk-checksum-algorithm: SHA256" -H "x-amz-checksum-sha256: $wrong" --data-binary @"$work/obj.bin" "$url/bench/wrong")"
java -Xmx512m -XX:+UseSerialGC \
  -cp "libs/platform/target/test-classes:libs/platform/target/classes:$(cat "$work/platform-classpath.txt")" \
  org.cxr.platform.storage.S3PutCostBench "$url" "$ak" "$sk" "$pid" "$n" "$clients"
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
