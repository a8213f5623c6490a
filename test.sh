#!/usr/bin/env bash
# Runs every test suite: unit tests, and integration tests against real servers, silos and stores on 127.0.0.1.
# Usage: ./test.sh [extra arguments for 'dotnet test', e.g. --filter-class "*JobExecution*"]
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"

# What the OCR sample's tests need and cannot fetch themselves at run time: fonts (apt) and the model (npm).
scripts/fonts.sh install
scripts/ocr-model.sh install
dotnet build Sluice.slnx -c Debug -nologo -v quiet -clp:ErrorsOnly
dotnet test --solution Sluice.slnx --no-build -c Debug "$@"
