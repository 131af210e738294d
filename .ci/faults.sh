#!/usr/bin/env bash
# Does faults to real processes and checks what clients see and what state remains (src/test/java/io/docqa/bench/FaultDrill.java):
#   bash .ci/faults.sh [--only shutdown,postgres,embedder,disk]
# Needs what the benchmarks need, plus PostgreSQL's server binaries (initdb, pg_ctl under /usr/lib/postgresql/*/bin, or
# DOCQA_PG_BIN) for a private cluster it stops and restarts, and `unshare` for the small file systems.
set -euo pipefail
cd "$(dirname "$0")/.."
exec bash .ci/bench.sh FaultDrill "$@"
