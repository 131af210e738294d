#!/usr/bin/env bash
# Runs one benchmark of src/test/java/io/docqa/bench against the packaged service:
#   bash .ci/bench.sh IngestionBenchmark [--corpus-mb 4 --files 4 --large-mb 20 --small-files 300 --files-per-request 25 --requests-at-once 2 --small-warm-ups 3]
#   bash .ci/bench.sh ChatBenchmark [--tenants 1000 --questions 500 --streams 1000]
#   bash .ci/bench.sh FairShareBenchmark [--streams 200 --keys 4 --questions 20 --tokens 40 --token-ms 50 --without-shares true]
#   bash .ci/bench.sh io.docqa.ai.EmbedderWindowsBenchmark [--chunks 400 --rounds 5]   (a class of another package)
#   bash .ci/bench.sh io.docqa.ai.ChromaIsolationBenchmark [--tenants 1000 --chunks 20 --levels collection,database,tenant]
#   bash .ci/bench.sh RetrievalBenchmark [--modes hybrid,vector,keyword --set docqa.name=value ...]
# Needs what the tests need: PostgreSQL on 127.0.0.1:5432 (or DOCQA_TEST_POSTGRES) and Chroma from npm (installed on
# first use) or DOCQA_TEST_CHROMA_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: bash .ci/bench.sh IngestionBenchmark|ChatBenchmark|RetrievalBenchmark|FairShareBenchmark [options]}"
shift
./mvnw -B -q -ntp -DskipTests package
./mvnw -B -q -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
bash .ci/chroma-local.sh --install-only >/dev/null 2>&1
[[ "$name" == *.* ]] || name="io.docqa.bench.$name"
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" "$name" "$@"
