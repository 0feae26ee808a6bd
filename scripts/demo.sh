#!/usr/bin/env bash
# Set up everything on a fresh machine, then scan the demo dataset shipped in fixtures/demo/.
# The JSON report lands in target/demo-report.json. Exit code: 0 = the file will train.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo build --release --locked
exec ./target/release/prescreen scan fixtures/demo/train.jsonl --json target/demo-report.json --force "$@"
