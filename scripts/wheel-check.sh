#!/usr/bin/env bash
# Builds the Python wheel (pyproject.toml, maturin) once and checks it the way a user gets
# it: size, manylinux tag (the binary needs nothing but glibc), then installed into a fresh
# venv whose PATH has no Rust toolchain, `kaggle-auth-doctor demo`, `python -m
# kaggle_auth_doctor`, and the GitHub Action's install path (action/run.sh). Called by
# .ci/run; the build tools come from PyPI into target/ci-tools (kept between runs).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
tools="$root/target/ci-tools/wheel"
requirements="maturin==1.16.0 auditwheel==6.8.2"
max_bytes=$((8 * 1024 * 1024))

if [ "$(cat "$tools/requirements" 2>/dev/null)" != "$requirements" ]; then
    rm -rf "$tools"
    python3 -m venv "$tools"
    # shellcheck disable=SC2086 # one word per requirement
    "$tools/bin/pip" install --disable-pip-version-check --quiet $requirements
    echo "$requirements" >"$tools/requirements"
fi

echo "-- build (release profile; maturin audits the binary and picks the manylinux tag)"
rm -rf target/wheels
start=$SECONDS
"$tools/bin/maturin" build --release --locked --quiet --out target/wheels
wheel="$(ls target/wheels/kaggle_auth_doctor-*.whl)"
size=$(wc -c <"$wheel")
echo "built $(basename "$wheel"): $size bytes in $((SECONDS - start)) s"
[ "$size" -lt "$max_bytes" ] || { echo "wheel is $size bytes, over the 8 MB budget" >&2; exit 1; }
case "$(basename "$wheel")" in
    *-py3-none-*) ;;
    *) echo "the wheel should be tagged py3-none-<platform> (any Python 3)" >&2; exit 1 ;;
esac

echo "-- manylinux: the binary links only system libraries every manylinux glibc has"
"$tools/bin/auditwheel" show "$wheel" | tee target/wheels/auditwheel.txt
grep -q '"manylinux_[0-9]*_[0-9]*_' target/wheels/auditwheel.txt
case "$(basename "$wheel")" in
    *manylinux*) ;;
    *) echo "the wheel is not tagged manylinux" >&2; exit 1 ;;
esac

echo "-- install into a fresh venv, no Rust on PATH"
sandbox="$(mktemp -d)"
trap 'rm -rf "$sandbox"' EXIT
mkdir -p "$sandbox/home"
python3 -m venv "$sandbox/venv"
user() { env -i HOME="$sandbox/home" PATH="$sandbox/venv/bin:/usr/bin:/bin" LANG=C.UTF-8 "$@"; }
if user sh -c 'command -v cargo || command -v rustc'; then
    echo "cargo or rustc is on the user's PATH: the check would prove nothing" >&2
    exit 1
fi
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
start_ns=$(date +%s%N)
user pip install --disable-pip-version-check --quiet "$wheel"
code=0
user kaggle-auth-doctor demo >"$sandbox/demo.txt" || code=$?
elapsed_ms=$((($(date +%s%N) - start_ns) / 1000000))
[ "$code" -eq 1 ] || { cat "$sandbox/demo.txt"; echo "demo exited $code, expected 1 (its default scenario fails)" >&2; exit 1; }
grep -q 'error\[token-shadows-working-key\]' "$sandbox/demo.txt"
echo "pip install of the wheel to the first report: $elapsed_ms ms"
user kaggle-auth-doctor demo all-good >/dev/null
[ "$(user python -m kaggle_auth_doctor --version)" = "kaggle-auth-doctor $version" ]
code=0
user python -m kaggle_auth_doctor demo >/dev/null || code=$?
[ "$code" -eq 1 ] || { echo "python -m passed on exit $code, expected 1" >&2; exit 1; }
code=0
user python -m kaggle_auth_doctor --no-such-flag 2>/dev/null || code=$?
[ "$code" -eq 2 ] || { echo "python -m passed on exit $code, expected 2" >&2; exit 1; }
echo "kaggle-auth-doctor and python -m kaggle_auth_doctor run from the wheel"

echo "-- the Action installs the wheel the way it installs a release"
mkdir -p "$sandbox/runner"
code=0
user env GITHUB_ACTIONS=true RUNNER_TEMP="$sandbox/runner" GITHUB_OUTPUT="$sandbox/runner/output" \
    GITHUB_STEP_SUMMARY="$sandbox/runner/summary.md" INPUT_VERSION="$root/$wheel" INPUT_ARGS=--offline \
    bash action/run.sh >/dev/null 2>&1 || code=$?
grep -qx 'verdict=fail' "$sandbox/runner/output"
grep -qx 'exit-code=1' "$sandbox/runner/output"
[ "$code" -eq 1 ]
echo "the Action installed the wheel and reported (no credential: fail, exit 1)"
