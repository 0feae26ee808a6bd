#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine (Rust and python3 present), then run the
# whole test suite. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo test --locked "$@"
