# Sourced by scripts/demo.sh and scripts/test.sh: installs what the project needs and is
# idempotent, so every run may call it.
command -v cargo >/dev/null || { echo "setup: cargo is required (install Rust first)" >&2; exit 2; }
