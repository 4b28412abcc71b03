#!/usr/bin/env bash
# Backup of everything the app keeps: the PostgreSQL database (pg_dump, custom format) and the uploaded files.
#   DATABASE_URL=postgres://… MEDIA_ROOT=/path/to/media scripts/backup.sh [target folder, default var/backups]
# Writes <target>/<UTC time>/ with db.dump, media.tar.gz and SHA256SUMS; prints that folder.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?Sett DATABASE_URL (postgres://…) til databasen som skal sikkerhetskopieres}"
case "$DATABASE_URL" in postgres://* | postgresql://*) ;; *)
  echo "backup.sh sikkerhetskopierer PostgreSQL; DATABASE_URL peker ikke dit." >&2
  exit 1
  ;;
esac
MEDIA_ROOT=${MEDIA_ROOT:-var/media}
target=${1:-var/backups}/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$target"
# Custom format: compressed, and pg_restore can recreate every table, sequence and constraint from it.
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$target/db.dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -czf "$target/media.tar.gz" .
(cd "$target" && sha256sum db.dump media.tar.gz >SHA256SUMS)
echo "$target"
