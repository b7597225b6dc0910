#!/usr/bin/env bash
# Start Tempo as `make run` does (own data dir, small demo book), with a local SMTP server and
# a local Slack-compatible receiver for its deliveries, run the Playwright tests in real
# Chromium against it, stop them all.
#   scripts/e2e.sh [PORT] [playwright args...]   e.g. scripts/e2e.sh 8865 e2e/digest.spec.ts
# TEMPO_E2E_DATA_DIR picks another data dir (a second run beside one already going).
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-8765}"
shift || true
data_dir="${TEMPO_E2E_DATA_DIR:-$PWD/.data/e2e}"
log="$data_dir/server.log"
mkdir -p "$data_dir"
# The receivers listen beside the server: SMTP on PORT+1, HTTP (Slack-compatible) on PORT+2.
smtp_port=$((port + 1))
hook_port=$((port + 2))

if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM_PATH:-}" ]; then
  echo "Chromium is required: apt-get install -y chromium (or set CHROMIUM_PATH)" >&2
  exit 1
fi

# What Tempo emails and posts lands here; the specs read it at GET http://127.0.0.1:$hook_port/received.
.venv/bin/python scripts/e2e_receivers.py --smtp-port "$smtp_port" --http-port "$hook_port" >"$data_dir/receivers.log" 2>&1 &
receivers=$!
trap 'kill $receivers 2>/dev/null; wait $receivers 2>/dev/null || true' EXIT

# Every journey signs in from this one address: more sign-ins a minute than a person makes.
# Email goes to the local SMTP server; channels may post to the local receiver (127.0.0.1,
# plain http: allow-listed as an operator allow-lists an internal receiver).
(cd backend && TEMPO_DATA_DIR="$data_dir" TEMPO_LOGIN_RATE_LIMIT=120/minute \
  TEMPO_SMTP_HOST=127.0.0.1 TEMPO_SMTP_PORT="$smtp_port" TEMPO_SMTP_STARTTLS=false \
  TEMPO_OUTBOUND_ALLOW='["127.0.0.1/32"]' TEMPO_OUTBOUND_ALLOW_HTTP=true \
  exec ../.venv/bin/tempo up --port "$port" --accounts 300) >"$log" 2>&1 &
server=$!
trap 'kill $server $receivers 2>/dev/null; wait $server $receivers 2>/dev/null || true' EXIT

for _ in $(seq 1 30); do
  if curl -fs "http://127.0.0.1:$hook_port/received" >/dev/null; then break; fi
  sleep 0.5
done
curl -fs "http://127.0.0.1:$hook_port/received" >/dev/null || { cat "$data_dir/receivers.log" >&2; echo "receivers did not start" >&2; exit 1; }

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

# `tempo up` names a demo CSM with a book of their own and their lead: the Today journey signs
# in as the CSM, the leader's journey as the lead.
csm_email=$(sed -n 's/.*or as a CSM with a book of their own: \([^ ]*\) .*/\1/p' "$log" | tail -n 1)
leader_email=$(sed -n 's/.*or as their team lead: \([^ ]*\) .*/\1/p' "$log" | tail -n 1)
TEMPO_E2E_URL="http://127.0.0.1:$port" TEMPO_E2E_CSM_EMAIL="$csm_email" TEMPO_E2E_LEADER_EMAIL="$leader_email" \
  TEMPO_E2E_RECEIVER_URL="http://127.0.0.1:$hook_port" npm --prefix frontend run e2e -- "$@"
