#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the database DATABASE_URL and the folder MEDIA_ROOT.
#   DATABASE_URL=postgres://… MEDIA_ROOT=/path/to/media scripts/restore.sh <backup folder>
# Stop web and workers first. The database's tables are replaced; the media folder is replaced (the old one is
# kept beside it as <MEDIA_ROOT>.before-restore-<time> until you remove it).
set -euo pipefail
cd "$(dirname "$0")/.."
source=${1:?Oppgi mappen med sikkerhetskopien (fra scripts/backup.sh)}
: "${DATABASE_URL:?Sett DATABASE_URL (postgres://…) til databasen det skal gjenopprettes i}"
MEDIA_ROOT=${MEDIA_ROOT:-var/media}
# A damaged or incomplete copy stops here, before anything is touched.
(cd "$source" && sha256sum --check --quiet SHA256SUMS)
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
  --dbname="$DATABASE_URL" "$source/db.dump"
if [ -d "$MEDIA_ROOT" ] && [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
  mv "$MEDIA_ROOT" "$MEDIA_ROOT.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
fi
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$source/media.tar.gz"
echo "Gjenopprettet fra $source"
