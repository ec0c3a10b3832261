#!/usr/bin/env bash
# One role per service, owning only its own database; nobody else may connect to it (PUBLIC's
# CONNECT is revoked). Flyway, as that role, creates the tables at the service's start.
# Run by the postgres image once, when its data directory is created (docker-entrypoint-initdb.d:
# docker-compose.yml and the local overlay); against a managed server run it by hand as an admin
# (PGHOST, PGUSER, PGPASSWORD, POSTGRES_USER=$PGUSER set), then add ?sslmode=verify-full to the URLs.
# Environment: POSTGRES_USER (the admin), CXR_DB_INGEST_PASSWORD, CXR_DB_CATALOG_PASSWORD.
set -euo pipefail
: "${CXR_DB_INGEST_PASSWORD:?}" "${CXR_DB_CATALOG_PASSWORD:?}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v ingest_password="$CXR_DB_INGEST_PASSWORD" -v catalog_password="$CXR_DB_CATALOG_PASSWORD" <<'SQL'
CREATE ROLE cxr_ingest LOGIN PASSWORD :'ingest_password';
CREATE ROLE cxr_catalog LOGIN PASSWORD :'catalog_password';
CREATE DATABASE ingest OWNER cxr_ingest;
CREATE DATABASE catalog OWNER cxr_catalog;
REVOKE ALL ON DATABASE ingest FROM PUBLIC;
REVOKE ALL ON DATABASE catalog FROM PUBLIC;
SQL
