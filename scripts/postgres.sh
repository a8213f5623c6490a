#!/usr/bin/env bash
# A throwaway PostgreSQL server for development and tests: a cluster in a folder of your choice, listening on
# 127.0.0.1 only, trusting local connections, tuned for speed over durability (fsync, synchronous_commit and
# full_page_writes off). Not for production data.
#
# Usage:
#   scripts/postgres.sh install               install Debian's postgresql package when initdb/pg_ctl are missing
#   scripts/postgres.sh start DATA_DIR [PORT] install if needed, create the cluster in DATA_DIR if it has none,
#                                             start it (on a free port when PORT is not given) and print its URL,
#                                             postgres://postgres@127.0.0.1:PORT/postgres, as the last line on stdout
#   scripts/postgres.sh stop DATA_DIR         stop the cluster in DATA_DIR (nothing to do when it is not running)
#
# Progress and errors go to stderr; only the URL goes to stdout. PostgreSQL refuses to run as root, so when this
# script runs as root the cluster belongs to, and runs as, the 'postgres' user (which the package creates).
set -euo pipefail

readonly PG_USER_AS_ROOT=postgres
readonly START_TIMEOUT_SECONDS=60

die() {
  echo "postgres.sh: error: $*" >&2
  exit 1
}

say() {
  echo "postgres.sh: $*" >&2
}

usage() {
  sed -n '/^# Usage:/,/^#$/p' "${BASH_SOURCE[0]}" | sed -e 's/^# \{0,1\}//' -e '/^$/d' >&2
  exit 2
}

# Prints the folder holding initdb and pg_ctl, or nothing: PATH first, then Debian's versioned folders (newest first).
find_bin_dir() {
  local initdb pg_ctl dir
  initdb="$(command -v initdb || true)"
  pg_ctl="$(command -v pg_ctl || true)"
  if [[ -n "$initdb" && -n "$pg_ctl" ]]; then
    dirname "$(readlink -f "$pg_ctl")"
    return
  fi

  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then
      echo "$dir"
      return
    fi
  done
}

cmd_install() {
  if [[ -n "$(find_bin_dir)" ]]; then
    say "PostgreSQL is installed ($(find_bin_dir))"
    return
  fi

  command -v apt-get >/dev/null || die "PostgreSQL is not installed and there is no apt-get to install it with; install PostgreSQL (initdb, pg_ctl) and put its bin folder on PATH"
  local sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null || die "PostgreSQL is not installed; installing it needs root: run 'sudo apt-get install -y postgresql', or run this script as root"
    sudo=(sudo -n)
  fi

  say "installing PostgreSQL (apt-get install postgresql)"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q >&2 || die "apt-get update failed (see above)"
  "${sudo[@]}" apt-get install -y -q --no-install-recommends postgresql >&2 || die "apt-get install postgresql failed (see above)"
  [[ -n "$(find_bin_dir)" ]] || die "the postgresql package is installed but initdb/pg_ctl are neither on PATH nor under /usr/lib/postgresql/*/bin"
  say "installed PostgreSQL ($(find_bin_dir))"
}

# Runs a command as the cluster's owner: the 'postgres' user when we are root, else ourselves.
as_owner() {
  if [[ "$(id -u)" -ne 0 ]]; then
    (cd / && "$@")
  elif command -v runuser >/dev/null; then
    (cd / && runuser -u "$PG_USER_AS_ROOT" -- "$@")
  else
    (cd / && su -s /bin/sh "$PG_USER_AS_ROOT" -c "$(printf '%q ' "$@")")
  fi
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

# The port of the running cluster in $1, from postmaster.pid (its 4th line), or nothing.
running_port() {
  local pid_file="$1/postmaster.pid"
  [[ -r "$pid_file" ]] && sed -n '4p' "$pid_file"
}

is_running() {
  as_owner "$BIN/pg_ctl" status -D "$1" >/dev/null 2>&1
}

url_for() {
  echo "postgres://postgres@127.0.0.1:$1/postgres"
}

init_cluster() {
  local data_dir="$1"
  if [[ "$(id -u)" -eq 0 ]]; then
    id "$PG_USER_AS_ROOT" >/dev/null 2>&1 || die "there is no '$PG_USER_AS_ROOT' user to run PostgreSQL as (the postgresql package creates it; PostgreSQL refuses to run as root)"
    chown "$PG_USER_AS_ROOT:" "$data_dir"
    as_owner test -w "$data_dir" \
      || die "the '$PG_USER_AS_ROOT' user cannot reach $data_dir (a parent folder is closed to other users); choose a folder under /tmp, or open its parents with chmod o+x"
  fi

  chmod 700 "$data_dir"
  say "creating a cluster in $data_dir"
  local log
  if ! log="$(as_owner "$BIN/initdb" -D "$data_dir" -U postgres --auth=trust --encoding=UTF8 --no-locale 2>&1)"; then
    echo "$log" >&2
    die "initdb failed in $data_dir (see above)"
  fi

  # Settings live in the cluster, so a later 'start' (without a port) brings the same server back.
  as_owner tee -a "$data_dir/postgresql.conf" >/dev/null <<EOF

# Added by scripts/postgres.sh: a local server for development and tests, fast rather than durable.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$data_dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
}

cmd_start() {
  [[ $# -ge 1 && $# -le 2 ]] || usage
  local data_dir="$1" port="${2:-}"
  if [[ -n "$port" ]] && ! [[ "$port" =~ ^[0-9]+$ && "$port" -ge 1 && "$port" -le 65535 ]]; then
    die "'$port' is not a TCP port (1-65535)"
  fi

  cmd_install
  BIN="$(find_bin_dir)"
  mkdir -p "$data_dir" || die "cannot create $data_dir"
  data_dir="$(cd "$data_dir" && pwd -P)"

  if [[ ! -f "$data_dir/PG_VERSION" ]]; then
    [[ -z "$(ls -A "$data_dir")" ]] || die "$data_dir is neither empty nor a PostgreSQL cluster; give an empty or new folder"
    init_cluster "$data_dir"
  elif is_running "$data_dir"; then
    local current
    current="$(running_port "$data_dir")"
    if [[ -n "$port" && "$port" != "$current" ]]; then
      die "the cluster in $data_dir already runs on port $current; stop it first to move it to $port"
    fi

    say "the cluster in $data_dir is already running"
    url_for "$current"
    return
  fi

  local explicit_port="$port" attempt log_file="$data_dir/server.log"
  for attempt in 1 2 3 4 5; do
    port="${explicit_port:-$(free_port)}"
    say "starting PostgreSQL on 127.0.0.1:$port (log: $log_file)"
    if as_owner "$BIN/pg_ctl" start -D "$data_dir" -l "$log_file" -w -t "$START_TIMEOUT_SECONDS" -o "-p $port" >/dev/null 2>&1; then
      break
    fi

    # Another process may have taken the free port in between: try another one (unless the port was chosen for us).
    if [[ -z "$explicit_port" ]] && tail -n 20 "$log_file" 2>/dev/null | grep -q "could not bind\|Address already in use"; then
      say "port $port was taken meanwhile; trying another"
      continue
    fi

    tail -n 20 "$log_file" >&2 2>/dev/null || true
    die "PostgreSQL did not start in $data_dir (the end of its log is above)"
  done

  is_running "$data_dir" || die "PostgreSQL did not start in $data_dir after 5 attempts (see $log_file)"
  port="$(running_port "$data_dir")"
  # pg_ctl -w waits for the server to accept connections; check TCP as clients will use it.
  port_in_use "$port" || die "PostgreSQL runs in $data_dir but does not accept connections on 127.0.0.1:$port (see $log_file)"
  say "PostgreSQL is ready on 127.0.0.1:$port"
  url_for "$port"
}

cmd_stop() {
  [[ $# -eq 1 ]] || usage
  local data_dir="$1"
  [[ -d "$data_dir" ]] || die "$data_dir does not exist"
  [[ -f "$data_dir/PG_VERSION" ]] || die "$data_dir is not a PostgreSQL cluster"
  BIN="$(find_bin_dir)"
  [[ -n "$BIN" ]] || die "PostgreSQL is not installed (no pg_ctl on PATH or under /usr/lib/postgresql/*/bin)"
  if ! is_running "$data_dir"; then
    say "the cluster in $data_dir is not running"
    return
  fi

  as_owner "$BIN/pg_ctl" stop -D "$data_dir" -m fast -w -t "$START_TIMEOUT_SECONDS" >/dev/null || die "pg_ctl stop failed for $data_dir"
  say "stopped the cluster in $data_dir"
}

[[ $# -ge 1 ]] || usage
command="$1"
shift
case "$command" in
  install) [[ $# -eq 0 ]] || usage; cmd_install ;;
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  -h|--help|help) usage ;;
  *) echo "postgres.sh: unknown command '$command'" >&2; usage ;;
esac
