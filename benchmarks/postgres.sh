#!/usr/bin/env bash
# Installs (if missing) and starts Debian's PostgreSQL for a local benchmark run, with a database and user
# "bench" (password "bench"), and prints the JDBC URL to pass to WorkloadRunner. Durable defaults are kept:
# fsync=on, synchronous_commit=on. Needs root (or sudo) on Debian/Ubuntu.
set -euo pipefail
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
if ! command -v pg_ctlcluster >/dev/null; then
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
fi
version=$(ls /etc/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online" {found=1} END {exit !found}'; then
  as_root pg_ctlcluster "$version" main start
fi
as_root su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench') THEN CREATE ROLE bench LOGIN PASSWORD 'bench'; END IF;
END $$;
SELECT 'CREATE DATABASE bench OWNER bench' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'bench')\gexec
SQL
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
echo "jdbc:postgresql://localhost:$port/bench?user=bench&password=bench"
