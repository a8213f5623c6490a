#!/usr/bin/env bash
# The fonts the OCR sample renders its text lines with: Debian's DejaVu (fonts-dejavu-core) and Liberation
# (fonts-liberation2) families, installed with apt-get when missing (with sudo when not run as root).
#
# Usage:
#   scripts/fonts.sh install     install the missing font packages (nothing to do when both are there)
#   scripts/fonts.sh check       exit 0 when both are installed, 1 (naming what is missing) when not
#
# Progress and errors go to stderr.
set -euo pipefail

readonly PACKAGES=(fonts-dejavu-core fonts-liberation2)

die() {
  echo "fonts.sh: error: $*" >&2
  exit 1
}

say() {
  echo "fonts.sh: $*" >&2
}

usage() {
  sed -n '/^# Usage:/,/^#$/p' "${BASH_SOURCE[0]}" | sed -e 's/^# \{0,1\}//' -e '/^$/d' >&2
  exit 2
}

installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" == installed ]]
}

missing() {
  local package
  for package in "${PACKAGES[@]}"; do
    installed "$package" || echo "$package"
  done
}

cmd_check() {
  command -v dpkg-query >/dev/null || die "dpkg-query is not available: this script knows Debian's packages only; install the DejaVu and Liberation (2) fonts with your system's package manager"
  local absent
  absent="$(missing | tr '\n' ' ')"
  if [[ -n "${absent// /}" ]]; then
    say "missing font packages: $absent(run scripts/fonts.sh install)"
    exit 1
  fi

  say "fonts installed: ${PACKAGES[*]}"
}

cmd_install() {
  command -v dpkg-query >/dev/null || die "dpkg-query is not available: this script knows Debian's packages only; install the DejaVu and Liberation (2) fonts with your system's package manager"
  local absent=()
  mapfile -t absent < <(missing)
  if [[ ${#absent[@]} -eq 0 ]]; then
    say "fonts installed: ${PACKAGES[*]}"
    return
  fi

  command -v apt-get >/dev/null || die "the font packages ${absent[*]} are missing and there is no apt-get to install them with"
  local sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null || die "the font packages ${absent[*]} are missing; installing them needs root: run 'sudo apt-get install -y ${absent[*]}', or run this script as root"
    sudo=(sudo -n)
  fi

  say "installing ${absent[*]} (apt-get install)"
  export DEBIAN_FRONTEND=noninteractive
  # A stale package list may not name a package yet: install first, update only when that fails.
  if ! "${sudo[@]}" apt-get install -y -q --no-install-recommends "${absent[@]}" >&2; then
    "${sudo[@]}" apt-get update -q >&2 || die "apt-get update failed (see above)"
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${absent[@]}" >&2 || die "apt-get install ${absent[*]} failed (see above)"
  fi

  local still
  still="$(missing | tr '\n' ' ')"
  [[ -z "${still// /}" ]] || die "apt-get finished but $still is still not installed"
  say "installed ${absent[*]}"
}

[[ $# -eq 1 ]] || usage
case "$1" in
  install) cmd_install ;;
  check) cmd_check ;;
  -h|--help|help) usage ;;
  *) echo "fonts.sh: unknown command '$1'" >&2; usage ;;
esac
