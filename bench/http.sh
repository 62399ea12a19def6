#!/usr/bin/env bash
# HTTP benchmark: the bare /healthz endpoint against real pages and API calls of the same server,
# measured in one run with the same load tool (wrk), so the figures are ratios on this machine.
# Usage: bench/http.sh [connections=64] [seconds=10]. Needs wrk (Debian package `wrk`).
set -euo pipefail
cd "$(dirname "$0")/.."
CONN="${1:-64}"; SECS="${2:-10}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/medist-target}"
command -v wrk >/dev/null || { echo "bench/http.sh needs wrk: apt-get install wrk" >&2; exit 1; }
cargo build --release -p medist-cli >/dev/null
BIN="$CARGO_TARGET_DIR/release/medist"
WORK=$(mktemp -d); PORT=$((20000 + RANDOM % 20000)); BASE="http://127.0.0.1:$PORT"
export MEDIST_DATABASE_URL="${BENCH_DATABASE_URL:-sqlite://$WORK/bench.db}" MEDIST_LOG=warn
"$BIN" serve --demo --bind "127.0.0.1:$PORT" > "$WORK/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.1; done
TOKEN=$("$BIN" token create office@miracle.example --name bench --scope read 2>/dev/null)
CID=$(curl -fs -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/consortia" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')

run() { # name path [auth]
  local out
  if [ -n "${3:-}" ]; then
    out=$(wrk -t2 -c"$CONN" -d"${SECS}s" --latency -H "Authorization: Bearer $TOKEN" "$BASE$2")
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

echo "medist HTTP benchmark: $CONN connections, ${SECS}s each, $(nproc) cores, database ${MEDIST_DATABASE_URL%%:*}"
run healthz /healthz
run api_consortium "/api/v1/consortia/$CID" auth
run api_people_search "/api/v1/consortia/$CID/people?q=%EC%84%9C%EC%A4%80" auth
run api_me /api/v1/me auth
RSS=$(ps -o rss= -p $PID | tr -d ' ')
base=$(cat "$WORK/healthz.rps")
for n in api_consortium api_people_search api_me; do
  python3 -c "import sys; print(f'ratio {sys.argv[1]:<28} {float(sys.argv[2])/float(sys.argv[3])*100:5.1f}% of /healthz')" "$n" "$(cat "$WORK/$n.rps")" "$base"
done
echo "server resident memory after the run: $((RSS / 1024)) MiB"
