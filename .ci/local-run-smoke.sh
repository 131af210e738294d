#!/usr/bin/env bash
# The README's one command, tried as a newcomer would: `./mvnw spring-boot:test-run@local` with no PostgreSQL, Chroma
# or model configured and a fresh data folder, then `docs/demo.sh` against it. Fails unless the service gets ready, the
# demo runs through, and its answers are the no-model answer and "not covered". Stops everything it started.
#   bash .ci/local-run-smoke.sh [PORT]     (default 18080)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${1:-18080}
READY_TIMEOUT_SECONDS=900
WORK=$(mktemp -d /tmp/docqa-local-smoke.XXXXXX)
LOG=$WORK/run.log

# A process group of its own, so that stopping it reaches Maven and the service's JVM (which stops PostgreSQL and Chroma).
SERVER_PORT=$PORT DOCQA_LOCAL_DATA_DIR=$WORK/data setsid ./mvnw -B -ntp spring-boot:test-run@local >"$LOG" 2>&1 < /dev/null &
RUN=$!
stop() {
  kill -TERM -- "-$RUN" 2>/dev/null || true
  wait "$RUN" 2>/dev/null || true
  for _ in $(seq 1 60); do pgrep -f "$WORK/data" >/dev/null || break; sleep 1; done
  rm -rf "$WORK"
}
trap stop EXIT

started=$SECONDS
until curl -sf "http://localhost:$PORT/actuator/health/readiness" >/dev/null; do
  if ! kill -0 "$RUN" 2>/dev/null || [ $((SECONDS - started)) -ge $READY_TIMEOUT_SECONDS ]; then
    tail -n 60 "$LOG"
    echo "FAILED: the one-command service did not get ready on port $PORT"
    exit 1
  fi
  sleep 1
done
echo "ready after $((SECONDS - started)) s: $(curl -s "http://localhost:$PORT/actuator/health/readiness")"

OUT=$(bash docs/demo.sh "http://localhost:$PORT")
echo "$OUT" | grep -E '^(== |finish_reason|event:done|data:\{"message_id)' || true
grep -q '"finish_reason":"no_model"' <<<"$OUT" || { echo "FAILED: the streamed answer is not the no-model answer"; exit 1; }
grep -q '^finish_reason: not_covered' <<<"$OUT" || { echo "FAILED: the off-topic question was not refused"; exit 1; }
[ "$(tail -n 1 <<<"$OUT")" = 204 ] || { echo "FAILED: the demo's tenant was not deleted"; exit 1; }
echo "one-command run and demo: ok"
