#!/usr/bin/env bash
# Start Tempo as `make run` does (own data dir, small demo book), run the Playwright
# tests in real Chromium against it, stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-8765}"
data_dir="$PWD/.data/e2e"
log="$data_dir/server.log"
mkdir -p "$data_dir"

if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM_PATH:-}" ]; then
  echo "Chromium is required: apt-get install -y chromium (or set CHROMIUM_PATH)" >&2
  exit 1
fi

# Every journey signs in from this one address: more sign-ins a minute than a person makes.
(cd backend && TEMPO_DATA_DIR="$data_dir" TEMPO_LOGIN_RATE_LIMIT=120/minute exec ../.venv/bin/tempo up --port "$port" --accounts 300) >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT

for _ in $(seq 1 180); do
  if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then cat "$log" >&2; echo "server exited" >&2; exit 1; fi
  sleep 1
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$log" >&2; echo "server did not start" >&2; exit 1; }

# The book's scoring history runs in the background after start-up; the journeys look at
# quadrant moves and the validation report, so wait until no scoring run is pending.
token=$(curl -fs -X POST "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"demo@tempo.test","password":"tempo-demo"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
for _ in $(seq 1 240); do
  pending=$(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/scoring/runs" \
    | grep -cE '"status":"(queued|running)"' || true)
  [ "$pending" = "0" ] && break
  sleep 1
done

# `tempo up` names a demo CSM with a book of their own: the Today journey signs in as them.
csm_email=$(sed -n 's/.*or as a CSM with a book of their own: \([^ ]*\) .*/\1/p' "$log" | tail -n 1)
TEMPO_E2E_URL="http://127.0.0.1:$port" TEMPO_E2E_CSM_EMAIL="$csm_email" npm --prefix frontend run e2e
