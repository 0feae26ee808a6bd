# Sourced by scripts/demo.sh and scripts/test.sh: installs what the project needs and is
# idempotent, so every run may call it.
command -v cargo >/dev/null || { echo "setup: cargo is required (install Rust first)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "setup: python3 with pip is required" >&2; exit 2; }
# ONNX Runtime for content screening: from the pinned PyPI wheel, hash-checked, into the cache.
ORT_DYLIB_PATH="$(bash tools/fetch-onnxruntime.sh | tail -n 1)"
export ORT_DYLIB_PATH
