-- Runs once, when the PostgreSQL data directory is first initialised (docker-entrypoint-initdb.d).
-- ingest-service and catalog-service each own one database; Flyway creates their tables.
CREATE DATABASE ingest;
CREATE DATABASE catalog;
