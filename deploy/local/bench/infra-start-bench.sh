#!/bin/bash
# Start time of the module tests' servers (the InfraMain JVM of LocalInfraTestResource): from launching
# the JVM to its ready line, this tree against an older commit, alternately (default: ad9a687, the
# last with Kafka, PostgreSQL and S3Proxy started one after the other in one JVM).
# Usage: deploy/local/bench/infra-start-bench.sh [OLD_COMMIT] [RUNS]     (after mvn -pl deploy/local install)
set -euo pipefail
cd "$(dirname "$0")/../../.."
old_commit="${1:-ad9a687}"; runs="${2:-5}"
cp_jars="$(cat deploy/local/target/classpath.txt)"
old=$(mktemp -d /tmp/infra-old-XXXX)
mkdir -p "$old/src" "$old/classes"
for f in $(git ls-tree --name-only "$old_commit" deploy/local/src/main/java/org/cxr/local/infra/); do
  git show "$old_commit:$f" > "$old/src/$(basename "$f")"
done
javac -nowarn -d "$old/classes" -cp "$cp_jars" "$old"/src/*.java
cp deploy/local/src/main/resources/logback.xml "$old/classes/"
run() {
  local d; d=$(mktemp -d /tmp/infra-bench-XXXX)
  local t0; t0=$(date +%s%N)
  ( java -Xmx768m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$1:$cp_jars" org.cxr.local.infra.InfraMain "$d" \
      2>/dev/null & echo $! > "$d.pid"; wait ) | while read -r l; do
    case "$l" in CXR-INFRA-READY*) echo $(( ($(date +%s%N) - t0) / 1000000 )); kill "$(cat "$d.pid")"; break;; esac
  done
  sleep 3; rm -rf "$d" "$d.pid"
}
for i in $(seq 1 "$runs"); do
  echo "old $(run "$old/classes") ms   new $(run deploy/local/target/classes) ms   load $(cut -d' ' -f1 /proc/loadavg)"
done
rm -rf "$old"
