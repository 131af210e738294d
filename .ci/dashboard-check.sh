#!/usr/bin/env bash
# Runs every query of docs/grafana/docqa-dashboard.json in a real Prometheus that scrapes a running docqa, and fails
# unless each one is valid PromQL and answers a series (or only its label filter matches nothing yet). Not part of `./mvnw verify` (DomainMetricsTest checks
# there that each query reads only exported series); run it by hand against a service that has uploaded, answered and
# refused something (for example after docs/demo.sh):
#   DOCQA_METRICS_SCRAPE_TOKEN=... [DOCQA_TRAFFIC='bash docs/demo.sh URL'] bash .ci/dashboard-check.sh [BASE_URL]
# (default http://localhost:8080); DOCQA_TRAFFIC is a command run once Prometheus scrapes, so that rates show it.
# Needs prometheus (Debian: apt-get install prometheus), curl and jq. Starts its own Prometheus on a free port with a
# throwaway data folder, and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${1:-http://localhost:8080}
DASHBOARD=docs/grafana/docqa-dashboard.json
: "${DOCQA_METRICS_SCRAPE_TOKEN:?the scrape token of the service}"
command -v prometheus >/dev/null || { echo "prometheus is not installed (apt-get install prometheus)"; exit 2; }

TARGET=${BASE#*://}
TARGET=${TARGET%%/*}
SCHEME=${BASE%%://*}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
WORK=$(mktemp -d /tmp/docqa-dashboard-check.XXXXXX)
cat >"$WORK/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: docqa
    scheme: $SCHEME
    metrics_path: /actuator/prometheus
    authorization:
      type: Bearer
      credentials_file: $WORK/token
    static_configs:
      - targets: ["$TARGET"]
EOF
printf '%s' "$DOCQA_METRICS_SCRAPE_TOKEN" >"$WORK/token"

prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/data" \
  --web.listen-address="127.0.0.1:$PORT" >"$WORK/prometheus.log" 2>&1 &
PROMETHEUS=$!
stop() {
  kill "$PROMETHEUS" 2>/dev/null || true
  wait "$PROMETHEUS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap stop EXIT
API="http://127.0.0.1:$PORT/api/v1"

# rate() needs two samples inside its window: wait for the target to be up and scraped a few times
value() {
  curl -sf "$API/query" --data-urlencode "query=$1" | jq -r '.data.result[0].value[1] // "0"' 2>/dev/null || echo 0
}
started=$SECONDS
while [ "$(value 'count_over_time(up{job="docqa"}[1m])')" -lt 5 ]; do
  if ! kill -0 "$PROMETHEUS" 2>/dev/null || [ $((SECONDS - started)) -ge 120 ]; then
    tail -n 20 "$WORK/prometheus.log"
    echo "FAILED: Prometheus did not scrape $BASE"
    exit 1
  fi
  sleep 1
done
if [ "$(value 'up{job="docqa"}')" != 1 ]; then
  curl -s "$API/targets" | jq '.data.activeTargets[] | {health, lastError}'
  echo "FAILED: the scrape of $BASE fails"
  exit 1
fi

# optional traffic while Prometheus watches, so that rates and quantiles have something to show
if [ -n "${DOCQA_TRAFFIC:-}" ]; then
  bash -c "$DOCQA_TRAFFIC" >"$WORK/traffic.log" 2>&1 || { tail -n 20 "$WORK/traffic.log"; echo "FAILED: the traffic command"; exit 1; }
  scraped=$(value 'count_over_time(up{job="docqa"}[10m])')
  while [ "$(value 'count_over_time(up{job="docqa"}[10m])')" -lt $((scraped + 3)) ]; do sleep 1; done
fi

failed=0
total=0
while IFS= read -r expr; do
  total=$((total + 1))
  query=${expr//\$__rate_interval/1m}
  answer=$(curl -s "$API/query" --data-urlencode "query=$query")
  status=$(jq -r .status <<<"$answer")
  series=$(jq -r '.data.result | length' <<<"$answer" 2>/dev/null || echo 0)
  if [ "$status" != success ]; then
    echo "ERROR  $expr: $(jq -r .error <<<"$answer")"
    failed=$((failed + 1))
  elif [ "$series" -eq 0 ]; then
    # no series: fine when only the label filter matched nothing (no Chroma error yet), not when a metric is missing
    missing=""
    for name in $(grep -oE '[a-z_:][a-z0-9_:]*_(total|count|sum|bucket|seconds|depth|active)\b' <<<"$query" | sort -u); do
      [ "$(value "count({__name__=\"$name\"})")" != 0 ] || missing="$missing $name"
    done
    if [ -n "$missing" ]; then
      echo "EMPTY  (no series of$missing) $expr"
      failed=$((failed + 1))
    else
      echo "OK     no data yet (its metrics exist, its filter matched nothing): $expr"
    fi
  else
    echo "OK     $series series, first $(jq -c '.data.result[0] | [.metric, .value[1]]' <<<"$answer"): $expr"
  fi
done < <(jq -r '.. | objects | select(has("expr")) | .expr' "$DASHBOARD")
echo "$((total - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
