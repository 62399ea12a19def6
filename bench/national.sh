#!/usr/bin/env bash
# National-scale HTTP benchmark: the dashboard and a KPI drill-down of one consortium of the synthetic national data
# set (`medist demo generate`), against the bare /healthz of the same server, in one run with the same load tool
# (wrk), so the figures are ratios on this machine. Prints req/s, p99, non-2xx answers, each page's share of
# /healthz, the first (cold) request's time, and the server's peak resident memory (VmHWM).
#
# Usage: bench/national.sh [connections=64] [seconds=10]
#   SEED=1 SCALE=1        the data set (SCALE=1: 50 consortia, 200,000 people, 2,000,000 publications,
#                         100,000 patents; SCALE=0.01 for a quick try)
#   DATA_DIR=/var/tmp/medist-bench-national   where the generated SQLite file is kept and reused (same seed, scale
#                         and generator source); delete it to generate again
#   BENCH_DATABASE_URL=postgres://…  use this PostgreSQL database instead (generated into it once, marked in DATA_DIR)
# Needs wrk (Debian package `wrk`).
set -euo pipefail
cd "$(dirname "$0")/.."
CONN="${1:-64}"; SECS="${2:-10}"; SEED="${SEED:-1}"; SCALE="${SCALE:-1}"
DATA_DIR="${DATA_DIR:-/var/tmp/medist-bench-national}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/medist-target}"
command -v wrk >/dev/null || { echo "bench/national.sh needs wrk: apt-get install wrk" >&2; exit 1; }
cargo build --release -p medist-cli >/dev/null
BIN="$CARGO_TARGET_DIR/release/medist"
mkdir -p "$DATA_DIR"
GEN=$(cat crates/medist-db/src/demo_national.rs | sha256sum | cut -c1-10)
NAME="national-s$SEED-x$SCALE-$GEN"
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  export MEDIST_DATABASE_URL="$BENCH_DATABASE_URL"; MARK="$DATA_DIR/$NAME.pg"
else
  export MEDIST_DATABASE_URL="sqlite://$DATA_DIR/$NAME.db"; MARK="$DATA_DIR/$NAME.db.done"
fi
export MEDIST_LOG=warn
LOGIN="bench.office@national.example"
if [ ! -f "$MARK" ]; then
  [ -z "${BENCH_DATABASE_URL:-}" ] && rm -f "$DATA_DIR/$NAME.db" "$DATA_DIR/$NAME.db-wal" "$DATA_DIR/$NAME.db-shm"
  echo "generating the data set (seed $SEED, scale $SCALE) into ${MEDIST_DATABASE_URL%%:*} …"
  /usr/bin/time -f "generation: %e s wall, peak memory %M KiB" "$BIN" demo generate --seed "$SEED" --scale "$SCALE" \
    2>&1 | tee "$DATA_DIR/$NAME.generate.log" | grep -E "^(generated|generation|  )" || true
  echo "bench-password-not-secret" | "$BIN" user add "$LOGIN" --name "Benchmark office" --password-stdin >/dev/null
  "$BIN" user grant "$LOGIN" program_office --consortium "NAT$SEED-01" >/dev/null
  "$BIN" token create "$LOGIN" --name bench --scope read 2>/dev/null | tail -1 > "$MARK.token"
  [ -s "$MARK.token" ] || { echo "could not make the benchmark token" >&2; exit 1; }
  ls -l "$DATA_DIR/$NAME.db" 2>/dev/null | awk '{printf "database file: %.0f MiB\n", $5/1048576}' || true
  touch "$MARK"
fi
TOKEN=$(cat "$MARK.token")
PORT=$((20000 + RANDOM % 20000)); BASE="http://127.0.0.1:$PORT"; WORK=$(mktemp -d)
"$BIN" serve --bind "127.0.0.1:$PORT" > "$WORK/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 300); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.1; done
AUTH="Authorization: Bearer $TOKEN"
CID=$(curl -fs -H "$AUTH" "$BASE/api/v1/consortia" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
# The SCI-papers KPI, the largest drill-down (publications), looked up in the database rather than through the KPI
# list API, which would evaluate every KPI once more before the measurements.
SQL="SELECT k.id FROM kpi k JOIN consortium c ON c.id = k.consortium_id WHERE c.code = 'NAT$SEED-01' AND k.code = 'sci_papers'"
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  KPI=$(psql "$BENCH_DATABASE_URL" -Atc "$SQL")
else
  KPI=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DATA_DIR/$NAME.db" "$SQL")
fi
INST=$(curl -fs -H "$AUTH" "$BASE/api/v1/consortia/$CID/institutions" | python3 -c 'import json,sys; d=json.load(sys.stdin); d=d.get("items", d) if isinstance(d, dict) else d; print(d[0]["id"])')

cold() { # name path: the first request's time (nothing cached for this key yet)
  local t
  t=$(curl -fs -o /dev/null -w '%{time_total}' -H "$AUTH" "$BASE$2")
  printf '%-34s first request %6.0f ms\n' "$1" "$(python3 -c "print(float('$t')*1000)")"
}
run() { # name path [auth]
  local out
  if [ -n "${3:-}" ]; then
    out=$(wrk -t2 -c"$CONN" -d"${SECS}s" --latency -H "$AUTH" "$BASE$2")
  else
    out=$(wrk -t2 -c"$CONN" -d"${SECS}s" --latency "$BASE$2")
  fi
  local rps p99 errors
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  printf '%-34s %10s req/s   p99 %8s   non-2xx %s\n' "$1" "$rps" "$p99" "${errors:-0}"
  echo "$rps" > "$WORK/$1.rps"
}

echo "medist national benchmark: $CONN connections, ${SECS}s each, $(nproc) cores, database ${MEDIST_DATABASE_URL%%:*}, seed $SEED, scale $SCALE"
cold dashboard "/dashboard"
cold dashboard_institution "/dashboard?institution=$INST"
cold kpi_drilldown "/kpis/$KPI"
run healthz /healthz
run dashboard /dashboard auth
run dashboard_institution "/dashboard?institution=$INST" auth
run kpi_drilldown "/kpis/$KPI" auth
run kpi_drilldown_page3 "/kpis/$KPI?page=3" auth
run api_me /api/v1/me auth
HWM=$(awk '/VmHWM/ {print $2}' /proc/$PID/status)
RSS=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
base=$(cat "$WORK/healthz.rps")
for n in dashboard dashboard_institution kpi_drilldown kpi_drilldown_page3 api_me; do
  python3 -c "import sys; print(f'ratio {sys.argv[1]:<28} {float(sys.argv[2])/float(sys.argv[3])*100:5.1f}% of /healthz')" "$n" "$(cat "$WORK/$n.rps")" "$base"
done
echo "server memory: peak $((HWM / 1024)) MiB (VmHWM), $((RSS / 1024)) MiB resident after the run"
