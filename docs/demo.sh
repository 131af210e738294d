#!/usr/bin/env bash
# A short tour of a running docqa: sign up a new tenant, upload the sample documents, ask questions.
#   bash docs/demo.sh [BASE_URL]        (default http://localhost:8080; needs curl and jq)
# Each run signs up a tenant of its own and deletes it at the end. Without a model, answers list the passages found
# (finish_reason "no_model"); with Ollama and its model, they are written by the model.
set -euo pipefail
B=${1:-http://localhost:8080}
SAMPLES=$(cd "$(dirname "$0")/samples" && pwd)
J='content-type: application/json'
step() { printf '\n== %s\n' "$*"; }

step "sign up: a tenant and its owner"
EMAIL="demo-$(date +%s)-$RANDOM@acme.test"
SIGNUP=$(curl -sf $B/api/v1/auth/signup -H "$J" \
  -d "{\"tenant_name\":\"Acme demo\",\"email\":\"$EMAIL\",\"password\":\"correct horse battery\"}")
echo "$SIGNUP" | jq '{tenant: .tenant.name, user: .user.email, role: .user.role}'
AUTH="authorization: Bearer $(echo "$SIGNUP" | jq -r .access_token)"

step "upload the samples (progress events, then each document when it is ready)"
curl -sf --no-buffer $B/api/v1/documents -H "$AUTH" -H 'accept: text/event-stream' \
  -F file=@"$SAMPLES/handbook.md" -F file=@"$SAMPLES/onboarding.txt" -F file=@"$SAMPLES/security.html"
curl -sf "$B/api/v1/documents" -H "$AUTH" | jq -r '.items[] | "\(.filename): \(.status), \(.chunk_count) chunks"'

step "ask: the answer streams as Server-Sent Events"
curl -sf --no-buffer $B/api/v1/chat -H "$AUTH" -H "$J" -d '{"question":"What is our refund policy?","top_k":2}'

step "a follow-up in the same conversation, as JSON"
CONVERSATION_ID=$(curl -sf $B/api/v1/conversations -H "$AUTH" | jq -r '.items[0].id')
curl -sf $B/api/v1/chat -H "$AUTH" -H 'accept: application/json' -H "$J" \
  -d "{\"question\":\"And for digital goods?\",\"conversation_id\":\"$CONVERSATION_ID\",\"top_k\":1}" \
  | jq -r '"finish_reason: \(.finish_reason)\n\(.answer)"'

step "a question the documents do not cover"
curl -sf $B/api/v1/chat -H "$AUTH" -H 'accept: application/json' -H "$J" \
  -d '{"question":"Who won the football world cup in 1998?"}' | jq -r '"finish_reason: \(.finish_reason)\n\(.answer)"'

step "leave: the tenant and everything it holds is deleted"
curl -sf -X DELETE $B/api/v1/tenant -H "$AUTH" -o /dev/null -w '%{http_code}\n'
