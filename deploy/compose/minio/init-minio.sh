#!/bin/sh
# Creates the four buckets, one MinIO user per service and its least-privilege policy
# (policies/<service>.json: only the buckets and actions of docs/architecture.md), as the MinIO
# root user. Idempotent. Used by docker-compose.yml (service minio-init) and Kubernetes (Job
# minio-init), on the MinIO server image, which ships mc.
#
# Environment: CXR_S3_ENDPOINT, CXR_MINIO_ROOT_USER, CXR_MINIO_ROOT_PASSWORD, and per service
# CXR_S3_ACCESS_KEY_<SERVICE> / CXR_S3_SECRET_KEY_<SERVICE> (INGEST, CONVERT, LABEL, CATALOG).
# Bucket names are the defaults (org.cxr.events.Buckets); renamed buckets need edited policies.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
# policies/ in the repository; flat next to the script where a ConfigMap mounts it
policies="$here/policies"
[ -d "$policies" ] || policies="$here"
: "${CXR_S3_ENDPOINT:?}" "${CXR_MINIO_ROOT_USER:?}" "${CXR_MINIO_ROOT_PASSWORD:?}"
export MC_CONFIG_DIR="${MC_CONFIG_DIR:-/tmp/.mc}"

attempt=0
until mc --config-dir "$MC_CONFIG_DIR" alias set cxr "$CXR_S3_ENDPOINT" "$CXR_MINIO_ROOT_USER" "$CXR_MINIO_ROOT_PASSWORD" >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  [ "$attempt" -lt 60 ] || { echo "init-minio: $CXR_S3_ENDPOINT not reachable" >&2; exit 1; }
  sleep 2
done
mcx() { mc --config-dir "$MC_CONFIG_DIR" "$@"; }

for bucket in cxr-dicom cxr-reports cxr-jpg cxr-releases; do
  mcx mb --ignore-existing "cxr/$bucket"
done
for service in ingest convert label catalog; do
  upper="$(echo "$service" | tr 'a-z' 'A-Z')"
  eval "access=\${CXR_S3_ACCESS_KEY_$upper:?CXR_S3_ACCESS_KEY_$upper is not set}"
  eval "secret=\${CXR_S3_SECRET_KEY_$upper:?CXR_S3_SECRET_KEY_$upper is not set}"
  mcx admin policy create cxr "cxr-$service" "$policies/$service-service.json"
  mcx admin user add cxr "$access" "$secret"
  # Attaching twice is refused as "already attached": only that answer is ignored.
  out="$(mcx admin policy attach cxr "cxr-$service" --user "$access" 2>&1)" \
    || echo "$out" | grep -qi "already" || { echo "$out" >&2; exit 1; }
done
echo "init-minio: buckets, users and policies in place on $CXR_S3_ENDPOINT"
