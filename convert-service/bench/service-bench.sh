#!/usr/bin/env bash
# convert-service benchmarks (docs/benchmarks.md, section "convert-service"). Rerun from the repository root:
#   bash convert-service/bench/service-bench.sh [FULL_SIZE_INSTANCES]      # WORKERS=2 HEAP=1536m by default
# The packaged service (target/quarkus-app) in its own JVM as the local launcher runs it, on a real
# Kafka broker and S3 server (org.cxr.local.infra): (1) every file of ../shared/data/dicom (skipped
# without ../shared), (2) FULL_SIZE_INSTANCES (default 40) generated full-size chest X-rays.
# Prints wall time, images/s, the service's CPU time and peak RSS (VmHWM) per run.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -o -pl convert-service package -DskipTests
mvn -q -o -pl convert-service test-compile
mvn -q -o -pl convert-service dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/convert-service/target/test-classpath.txt" >/dev/null
echo "# $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Dworkers="${WORKERS:-2}" -Dheap="${HEAP:-1536m}" \
  -cp "convert-service/target/test-classes:convert-service/target/classes:$(cat convert-service/target/test-classpath.txt)" \
  org.cxr.convert.messaging.ServiceBench "${1:-40}"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
