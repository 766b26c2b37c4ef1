#!/usr/bin/env bash
# A local Personalize cluster as plain processes on loopback: a throwaway PostgreSQL, N silos and one
# gateway in Client mode. For people trying the cluster without Docker, and the same shape the cluster
# tests start.
#   scripts/cluster.sh start [silos=3]   build, start, wait until every process is ready, print the keys
#   scripts/cluster.sh stop              SIGTERM everything (silos leave the cluster), remove the database
#   scripts/cluster.sh status            what runs, and each process's /health/ready
# Ports: PostgreSQL 55432, gateway http://127.0.0.1:5080, silo i (1..N): http 5090+i, silo 11110+i,
# gateway 30000+i. State, logs and keys live under $CLUSTER_DIR (default /tmp/personalize-cluster).
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${CLUSTER_DIR:-${TMPDIR:-/tmp}/personalize-cluster}
pg_port=${PG_PORT:-55432}
gateway_url=${GATEWAY_URL:-http://127.0.0.1:5080}
configuration=${CONFIGURATION:-Release}

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }

# initdb and postgres refuse to run as root: run them as the postgres user then.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

wait_ready() { # url name pid
  for _ in $(seq 1 180); do
    if ! kill -0 "$3" 2>/dev/null; then echo "$2 exited; see $dir/$2.log" >&2; tail -n 20 "$dir/$2.log" >&2; exit 1; fi
    if curl -fsS "$1/health/ready" >/dev/null 2>&1; then echo "$2 ready at $1"; return; fi
    sleep 0.5
  done
  echo "$2 not ready after 90 s; see $dir/$2.log" >&2; exit 1
}

start() {
  local silos=${1:-3}
  [ -e "$dir/pids" ] && { echo "already running (scripts/cluster.sh stop first)" >&2; exit 1; }
  mkdir -p "$dir"
  dotnet build src/Personalize.Silo -c "$configuration" -nologo -clp:ErrorsOnly
  dotnet build src/Personalize.Gateway -c "$configuration" -nologo -clp:ErrorsOnly

  if [ "$(id -u)" = 0 ]; then id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres; chown postgres: "$dir"; fi
  as_pg "$(pg_bin)/initdb" -D "$dir/pg" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log"
  as_pg "$(pg_bin)/pg_ctl" -D "$dir/pg" -l "$dir/pg/server.log" -w \
    -o "-p $pg_port -k $dir/pg -c listen_addresses=127.0.0.1" start >/dev/null
  echo "postgres ready on 127.0.0.1:$pg_port"

  local keys="$dir/keys.env"
  cat >"$keys" <<KEYS
export Personalize__Auth__MarketerApiKeys__0=mk_$(openssl rand -hex 16)
export Personalize__Auth__StorefrontApiKeys__0=sk_$(openssl rand -hex 16)
export Personalize__Auth__ShopperTokenSigningKey=$(openssl rand -hex 32)
KEYS
  # Every process shares these; the schema is installed by whichever starts first.
  export ConnectionStrings__Personalize="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
  export Personalize__Cluster__Clustering=Postgres Personalize__Storage__Provider=Postgres
  export Personalize__Cluster__ClusterId=local Personalize__Cluster__AdvertisedIp=127.0.0.1
  export ASPNETCORE_ENVIRONMENT=Production
  # shellcheck disable=SC1090
  source "$keys"

  local bin="bin/$configuration/net10.0" i
  : >"$dir/pids"
  for i in $(seq 1 "$silos"); do
    Urls="http://127.0.0.1:$((5090 + i))" Personalize__Cluster__SiloPort=$((11110 + i)) \
      Personalize__Cluster__GatewayPort=$((30000 + i)) \
      nohup dotnet "src/Personalize.Silo/$bin/Personalize.Silo.dll" >"$dir/silo$i.log" 2>&1 &
    echo "$! silo$i http://127.0.0.1:$((5090 + i))" >>"$dir/pids"
  done
  Urls="$gateway_url" Personalize__Cluster__Mode=Client \
    nohup dotnet "src/Personalize.Gateway/$bin/Personalize.Gateway.dll" >"$dir/gateway.log" 2>&1 &
  echo "$! gateway $gateway_url" >>"$dir/pids"

  while read -r pid name url; do wait_ready "$url" "$name" "$pid"; done <"$dir/pids"
  echo "keys (also in $keys):"
  sed 's/^export /  /' "$keys"
}

stop() {
  if [ -e "$dir/pids" ]; then
    while read -r pid name _; do kill -TERM "$pid" 2>/dev/null && echo "stopping $name ($pid)"; done <"$dir/pids"
    while read -r pid _; do while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done; done <"$dir/pids"
    rm -f "$dir/pids"
  fi
  if [ -d "$dir/pg" ]; then as_pg "$(pg_bin)/pg_ctl" -D "$dir/pg" -m fast stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
  echo "stopped"
}

status() {
  [ -e "$dir/pids" ] || { echo "not running"; return; }
  while read -r pid name url; do
    state=$(curl -s -o /dev/null -w '%{http_code}' "$url/health/ready" || true)
    echo "$name pid $pid $url ready=$state"
  done <"$dir/pids"
}

case "${1:-}" in
  start) start "${2:-3}" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start [silos] | stop | status" >&2; exit 2 ;;
esac
