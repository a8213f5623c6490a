#!/usr/bin/env bash
# Adds an EF Core migration named NAME for every store provider (SQLite and PostgreSQL), each in its own folder
# under src/Sluice.Data/Store/Migrations. Run it after changing the model (SluiceDbContext, Records.cs).
# Usage: scripts/add-migration.sh NAME
set -euo pipefail

if [[ $# -ne 1 || ! "$1" =~ ^[A-Z][A-Za-z0-9]*$ ]]; then
  echo "usage: scripts/add-migration.sh NAME   (NAME in PascalCase, e.g. AddJobTags)" >&2
  exit 2
fi
name="$1"
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

dotnet tool restore >/dev/null
for provider in Sqlite PostgreSql; do
  echo "Adding migration $name for $provider" >&2
  dotnet ef migrations add "$name" \
    --project src/Sluice.Data/Sluice.Data.csproj \
    --startup-project src/Sluice.Data/Sluice.Data.csproj \
    --context "${provider}SluiceDbContext" \
    --output-dir "Store/Migrations/$provider"
done
