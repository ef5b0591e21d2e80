#!/usr/bin/env bash
# The main job, end to end on this machine: a generated Slack workspace served by the local
# Slack stand-in -> `slack-intel cache` -> `slack-intel sync` to a local real S3 server (Ceph
# RADOS Gateway) -> what landed -> the user's Athena example query answered by DuckDB.
# Steps whose command is not built yet say so and name the issue that builds them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build/release"
DEMO="$ROOT/build/demo"
BIN="$BUILD/src/slack-intel"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
pending() { printf '   (not built yet: %s)\n' "$*"; }

step "1. Install what is missing and build (Release)"
"$ROOT/scripts/install-deps.sh"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSLACK_INTEL_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD"
"$BIN" --version

step "2. Start a local S3 server (Ceph RADOS Gateway on 127.0.0.1)"
export CEPH_TEST_DIR="$DEMO/ceph"
"$ROOT/tools/ceph-rgw/start.sh" 2>&1 | grep -E 'endpoint|ERROR' || true
# shellcheck disable=SC1091
source "$CEPH_TEST_DIR/s3.env"
echo "   endpoint $S3_ENDPOINT (stop it with: CEPH_TEST_DIR=$CEPH_TEST_DIR tools/ceph-rgw/stop.sh)"
# A second opinion on what is in the bucket: curl's own SigV4 signer.
s3() { # METHOD PATH
  curl -sS --aws-sigv4 "aws:amz:$S3_REGION:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
    -H "x-amz-content-sha256: $(printf '' | sha256sum | cut -d' ' -f1)" -X "$1" "$S3_ENDPOINT$2"
}
s3 PUT /demo-slack-data >/dev/null
echo "   bucket s3://demo-slack-data is ready"

step "3. Generate a demo workspace and serve it with the local Slack stand-in"
FIRST_DAY="$(date -u -d '29 days ago' +%F)"
rm -rf "$DEMO/workspace"
node "$ROOT/tools/workspace-gen/generate.mjs" --seed 2026 --channels 12 --days 30 \
  --start "$FIRST_DAY" --out "$DEMO/workspace" | sed 's/^/   /'
SLACK_LOG="$DEMO/slack-standin.out"
# Tier rate limits x5, so a few 429s show the client waiting them out.
node "$ROOT/tools/standins/slack.mjs" --export "$DEMO/workspace" --rate-scale 5 >"$SLACK_LOG" &
SLACK_PID=$!
trap 'kill $SLACK_PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q 'listening on' "$SLACK_LOG" && break; sleep 0.1; done
SLACK_URL="$(grep -o 'http://127.0.0.1:[0-9]*' "$SLACK_LOG")"
echo "   Slack stand-in on $SLACK_URL/api"

step "4. slack-intel cache --days 30"
SLACK_TOKEN=standin-slack-token SLACK_API_URL="$SLACK_URL/api" \
  "$BIN" cache --days 30 --cache-path "$DEMO/cache" --include-archived

step "5. slack-intel sync --bucket demo-slack-data --endpoint-url $S3_ENDPOINT"
AWS_ACCESS_KEY_ID="$S3_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$S3_SECRET_KEY" AWS_EC2_METADATA_DISABLED=true \
  "$BIN" sync --bucket demo-slack-data --endpoint-url "$S3_ENDPOINT" --cache-path "$DEMO/cache" \
  || echo "   (sync failed)"

step "6. What landed in s3://demo-slack-data (listed with curl's own SigV4)"
s3 GET "/demo-slack-data?list-type=2" | grep -o '<Key>[^<]*</Key><LastModified>[^<]*</LastModified><ETag>[^<]*</ETag><Size>[0-9]*' \
  | sed 's/<Key>\([^<]*\)<.*<Size>\([0-9]*\)/\1 \2/' \
  | awk '{ top = ($1 ~ /\//) ? substr($1, 1, index($1, "/")) : $1; n[top]++; b[top] += $2
           if (!(top in first)) first[top] = $1 }
         END { for (t in n) printf "   %-16s %4d object(s), %8.1f KB   e.g. %s\n", t, n[t], b[t] / 1024, first[t] }' \
  | sort || echo "   (empty)"

step "7. slack-intel doctor: the setup, checked"
SLACK_TOKEN=standin-slack-token SLACK_API_URL="$SLACK_URL/api" \
AWS_ACCESS_KEY_ID="$S3_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$S3_SECRET_KEY" AWS_EC2_METADATA_DISABLED=true \
  "$BIN" doctor --only cache,slack,aws --cache-path "$DEMO/cache" --bucket demo-slack-data \
  --endpoint-url "$S3_ENDPOINT" | sed 's/^/   /' || true

step "8. slack-intel athena-ddl --projection: the messages table (first lines)"
"$BIN" athena-ddl --bucket demo-slack-data --cache-path "$DEMO/cache" --projection \
  | sed -n '/slack_messages/,/^$/p' | head -12 | sed 's/^/   /'

step "9. The Athena example query, answered by DuckDB over the cache"
if compgen -G "$DEMO/cache/raw/messages/*/*/*.parquet" >/dev/null; then
  (cd "$ROOT/tools" && node demo-query.mjs "$DEMO/cache/raw/messages" "$FIRST_DAY")
else
  pending "needs the cache from step 4"
fi
