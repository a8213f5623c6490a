#!/usr/bin/env bash
# Azurite, the Azure Storage emulator, as a throwaway blob service for development and tests: the version pinned in
# scripts/azurite/ (package.json and its lock file), installed into the repository's ignored .tools/azurite folder,
# serving blob storage only, on 127.0.0.1 only, with the well-known development account (devstoreaccount1).
#
# Usage:
#   scripts/azurite.sh install                          install the pinned Azurite (and Node.js with npm when missing)
#   scripts/azurite.sh start DIR [PORT] [OPTIONS]       install if needed and start Azurite's blob service with its
#                                                       state and log in DIR (on a free port when PORT is not given);
#                                                       print its endpoint, http://127.0.0.1:PORT/devstoreaccount1,
#                                                       as the last line on stdout
#       --in-memory                                     keep blobs in memory instead of in DIR/data
#       --owner PID                                     stop Azurite when process PID ends (for test runs that crash)
#   scripts/azurite.sh stop DIR                         stop the Azurite started in DIR (nothing to do when none runs)
#
# Progress and errors go to stderr; only the endpoint goes to stdout. Azurite is started with --skipApiVersionCheck
# (current Azure SDKs send a newer API version than it knows) and --loose (it ignores headers it does not support).
set -euo pipefail

readonly ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
readonly PINNED="$ROOT/scripts/azurite"
readonly TOOLS="$ROOT/.tools/azurite"
readonly BIN="$TOOLS/node_modules/.bin/azurite-blob"
readonly ACCOUNT=devstoreaccount1
readonly MIN_NODE_MAJOR=18
readonly START_TIMEOUT_SECONDS=60

die() {
  echo "azurite.sh: error: $*" >&2
  exit 1
}

say() {
  echo "azurite.sh: $*" >&2
}

usage() {
  sed -n '/^# Usage:/,/^#$/p' "${BASH_SOURCE[0]}" | sed -e 's/^# \{0,1\}//' -e '/^$/d' >&2
  exit 2
}

node_major() {
  node --version 2>/dev/null | sed -n 's/^v\([0-9]*\)\..*/\1/p'
}

install_node() {
  if command -v node >/dev/null && command -v npm >/dev/null; then
    local major
    major="$(node_major)"
    [[ -n "$major" && "$major" -ge "$MIN_NODE_MAJOR" ]] \
      || die "Node.js $(node --version 2>/dev/null) is too old for Azurite; install Node.js $MIN_NODE_MAJOR or later"
    return
  fi

  command -v apt-get >/dev/null || die "Node.js and npm are needed to install Azurite, and there is no apt-get to install them with; install Node.js $MIN_NODE_MAJOR or later with npm"
  local sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null || die "Node.js and npm are not installed; installing them needs root: run 'sudo apt-get install -y nodejs npm', or run this script as root"
    sudo=(sudo -n)
  fi

  say "installing Node.js and npm (apt-get install nodejs npm)"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q >&2 || die "apt-get update failed (see above)"
  "${sudo[@]}" apt-get install -y -q --no-install-recommends nodejs npm >&2 || die "apt-get install nodejs npm failed (see above)"
  command -v node >/dev/null && command -v npm >/dev/null || die "the nodejs and npm packages are installed but node or npm is not on PATH"
}

# Installed when an install of the pinned lock file finished in .tools/azurite (it leaves a copy of that lock file).
is_installed() {
  [[ -x "$BIN" ]] && cmp -s "$PINNED/package-lock.json" "$TOOLS/installed-lock.json"
}

cmd_install() {
  if is_installed; then
    say "Azurite $(azurite_version) is installed ($TOOLS)"
    return
  fi

  install_node
  mkdir -p "$ROOT/.tools"
  # Two test runs may install at once: the second waits for the first and then finds it done.
  exec 9>"$ROOT/.tools/azurite.lock"
  command -v flock >/dev/null && flock -w 600 9 || true
  if is_installed; then
    say "Azurite $(azurite_version) is installed ($TOOLS)"
    return
  fi

  say "installing Azurite $(sed -n 's/.*"azurite": *"\([^"]*\)".*/\1/p' "$PINNED/package.json") into $TOOLS (npm ci)"
  rm -rf "$TOOLS"
  mkdir -p "$TOOLS"
  cp "$PINNED/package.json" "$PINNED/package-lock.json" "$TOOLS/"
  npm ci --prefix "$TOOLS" --no-audit --no-fund --loglevel=error >&2 || die "npm ci failed in $TOOLS (see above)"
  cp "$PINNED/package-lock.json" "$TOOLS/installed-lock.json"
  is_installed || die "npm installed the packages but $BIN is missing"
  say "installed Azurite $(azurite_version)"
}

azurite_version() {
  sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$TOOLS/node_modules/azurite/package.json" 2>/dev/null | head -n 1
}

# Whether something accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  local port attempt
  for attempt in $(seq 1 100); do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    if ! port_in_use "$port"; then
      echo "$port"
      return
    fi
  done

  die "found no free TCP port on 127.0.0.1 after 100 tries"
}

# Whether an HTTP server answers on 127.0.0.1:$1 (any status: Azurite refuses anonymous listing, and that is an answer).
answers() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf 'GET /%s?comp=list HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$ACCOUNT" "$1" >&3
    IFS= read -r -t 5 line <&3 || exit 1
    [[ "$line" == HTTP/1.1\ * ]]
  ) 2>/dev/null
}

# The pid of the Azurite started in $1 while it runs, else nothing.
running_pid() {
  local pid
  pid="$(cat "$1/azurite.pid" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q azurite; then
    echo "$pid"
  fi
}

url_for() {
  echo "http://127.0.0.1:$1/$ACCOUNT"
}

cmd_start() {
  local dir="" port="" in_memory=false owner=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --in-memory) in_memory=true ;;
      --owner) [[ $# -ge 2 ]] || usage; owner="$2"; shift ;;
      -*) echo "azurite.sh: unknown option '$1'" >&2; usage ;;
      *)
        if [[ -z "$dir" ]]; then dir="$1"
        elif [[ -z "$port" ]]; then port="$1"
        else usage
        fi
        ;;
    esac
    shift
  done

  [[ -n "$dir" ]] || usage
  if [[ -n "$port" ]] && ! [[ "$port" =~ ^[0-9]+$ && "$port" -ge 1 && "$port" -le 65535 ]]; then
    die "'$port' is not a TCP port (1-65535)"
  fi

  if [[ -n "$owner" ]] && ! [[ "$owner" =~ ^[0-9]+$ ]]; then
    die "--owner takes a process id; got '$owner'"
  fi

  cmd_install
  mkdir -p "$dir" || die "cannot create $dir"
  dir="$(cd "$dir" && pwd -P)"

  local pid current
  pid="$(running_pid "$dir")"
  if [[ -n "$pid" ]]; then
    current="$(cat "$dir/azurite.port")"
    if [[ -n "$port" && "$port" != "$current" ]]; then
      die "the Azurite in $dir already runs on port $current; stop it first to move it to $port"
    fi

    say "the Azurite in $dir is already running"
    url_for "$current"
    return
  fi

  local storage=(--location "$dir/data")
  if [[ "$in_memory" == true ]]; then
    storage=(--inMemoryPersistence)
  else
    mkdir -p "$dir/data"
  fi

  local explicit_port="$port" attempt waited log_file="$dir/azurite.log"
  for attempt in 1 2 3 4 5; do
    port="${explicit_port:-$(free_port)}"
    say "starting Azurite's blob service on 127.0.0.1:$port (log: $log_file)"
    # Detached from this script's output, so whoever reads that output sees it end when the script does.
    (cd / && exec "$BIN" --blobHost 127.0.0.1 --blobPort "$port" "${storage[@]}" \
      --skipApiVersionCheck --loose --disableTelemetry --silent </dev/null >>"$log_file" 2>&1) &
    pid=$!
    echo "$pid" >"$dir/azurite.pid"
    echo "$port" >"$dir/azurite.port"

    for (( waited = 0; waited < START_TIMEOUT_SECONDS * 10; waited++ )); do
      if ! kill -0 "$pid" 2>/dev/null; then
        break
      fi

      if answers "$port"; then
        if [[ -n "$owner" ]]; then
          # Stops Azurite when its owner ends without stopping it (a test run that crashed or was killed).
          (while kill -0 "$owner" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do sleep 2; done
           kill "$pid" 2>/dev/null || true) </dev/null >/dev/null 2>&1 &
        fi

        say "Azurite $(azurite_version) is ready on 127.0.0.1:$port"
        url_for "$port"
        return
      fi

      sleep 0.1
    done

    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      rm -f "$dir/azurite.pid"
      tail -n 20 "$log_file" >&2 2>/dev/null || true
      die "Azurite did not answer on 127.0.0.1:$port within $START_TIMEOUT_SECONDS s (the end of its log is above)"
    fi

    rm -f "$dir/azurite.pid"
    # Another process may have taken the free port in between: try another one (unless the port was chosen for us).
    if [[ -z "$explicit_port" ]] && tail -n 20 "$log_file" 2>/dev/null | grep -q "EADDRINUSE"; then
      say "port $port was taken meanwhile; trying another"
      continue
    fi

    tail -n 20 "$log_file" >&2 2>/dev/null || true
    die "Azurite exited on start (the end of its log is above)"
  done

  die "Azurite did not start after 5 attempts (see $log_file)"
}

cmd_stop() {
  [[ $# -eq 1 ]] || usage
  local dir="$1" pid waited
  [[ -d "$dir" ]] || die "$dir does not exist"
  pid="$(running_pid "$dir")"
  if [[ -z "$pid" ]]; then
    rm -f "$dir/azurite.pid"
    say "no Azurite is running in $dir"
    return
  fi

  kill "$pid" 2>/dev/null || true
  for (( waited = 0; waited < 100; waited++ )); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done

  if kill -0 "$pid" 2>/dev/null; then
    say "Azurite (pid $pid) did not stop within 10 s; killing it"
    kill -9 "$pid" 2>/dev/null || true
  fi

  rm -f "$dir/azurite.pid"
  say "stopped the Azurite in $dir"
}

[[ $# -ge 1 ]] || usage
command="$1"
shift
case "$command" in
  install) [[ $# -eq 0 ]] || usage; cmd_install ;;
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  -h|--help|help) usage ;;
  *) echo "azurite.sh: unknown command '$command'" >&2; usage ;;
esac
