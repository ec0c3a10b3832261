#!/usr/bin/env bash
# Writes the secrets docker-compose.yml needs into .env next to it (or FILE): random values, one
# per credential, so that nothing the repository ships is ever a working password. Variables
# already in the file are kept (CXR_INGEST_ID_SECRET keys the research ids: keep it for the life of
# the dataset), missing ones are added. Values are alphanumeric (they are embedded in JAAS lines,
# connection URLs and the Keycloak realm).
#   deploy/compose/generate-env.sh [FILE]        (default: .env in the repository root)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
file="${1:-$root/.env}"

# name  length
SECRETS="
CXR_MINIO_ROOT_USER 20
CXR_MINIO_ROOT_PASSWORD 40
CXR_S3_ACCESS_KEY_INGEST 20
CXR_S3_SECRET_KEY_INGEST 40
CXR_S3_ACCESS_KEY_CONVERT 20
CXR_S3_SECRET_KEY_CONVERT 40
CXR_S3_ACCESS_KEY_LABEL 20
CXR_S3_SECRET_KEY_LABEL 40
CXR_S3_ACCESS_KEY_CATALOG 20
CXR_S3_SECRET_KEY_CATALOG 40
CXR_KAFKA_ADMIN_PASSWORD 32
CXR_KAFKA_PASSWORD_INGEST_SERVICE 32
CXR_KAFKA_PASSWORD_CONVERT_SERVICE 32
CXR_KAFKA_PASSWORD_LABEL_SERVICE 32
CXR_KAFKA_PASSWORD_CATALOG_SERVICE 32
CXR_DB_ADMIN_PASSWORD 32
CXR_DB_INGEST_PASSWORD 32
CXR_DB_CATALOG_PASSWORD 32
CXR_INGEST_ID_SECRET 64
CXR_KEYCLOAK_ADMIN_PASSWORD 24
CXR_KEYCLOAK_DASHBOARD_SECRET 40
CXR_KEYCLOAK_CLI_SECRET 40
CXR_KEYCLOAK_TEST_USER_PASSWORD 20
GRAFANA_ADMIN_PASSWORD 24
"

random() { head -c 96 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | cut -c "1-$1"; }

umask 077
touch "$file"
added=0
while read -r name length; do
  [ -z "$name" ] && continue
  if ! grep -q "^$name=" "$file"; then
    echo "$name=$(random "$length")" >> "$file"
    added=$((added + 1))
  fi
done <<< "$SECRETS"
echo "generate-env: $added secret(s) added to $file (local use only; keep the file out of git)" >&2
