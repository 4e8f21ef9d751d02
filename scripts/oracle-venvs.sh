#!/usr/bin/env bash
# Builds one venv per kaggle client version, and one with the latest kagglehub, for the
# real-client oracle (tests/oracle.rs), from PyPI. Cached: a venv that already holds the
# right version is kept.
#   scripts/oracle-venvs.sh [DIR [VERSION…]]   (default: target/oracle-venvs; 1.6.17 … 2.2.5 and "hub")
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-target/oracle-venvs}"
mkdir -p "$dir"
versions=(1.6.17 1.7.4.5 1.8.4 2.0.2 2.2.5 hub)
if [ $# -gt 1 ]; then versions=("${@:2}"); fi

build() {
  if [ "$1" = hub ]; then build_hub; return; fi
  local v="$1" venv="$dir/kaggle-$1"
  if [ -x "$venv/bin/kaggle" ] && "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('kaggle') != '$v')" 2>/dev/null; then
    echo "kaggle $v: cached in $venv"
    return
  fi
  rm -rf "$venv"
  python3 -m venv "$venv"
  # kaggle >= 1.8 imports six without declaring it (spec B20); harmless for older ones.
  "$venv/bin/pip" install --quiet --disable-pip-version-check "kaggle==$v" six
  echo "kaggle $v: installed in $venv"
}

# kagglehub, latest from PyPI (its own venv: it must not see the kaggle CLI's packages).
build_hub() {
  local venv="$dir/kagglehub"
  if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import importlib.metadata as m; m.version('kagglehub')" 2>/dev/null; then
    echo "kagglehub: cached in $venv"
    return
  fi
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check kagglehub six
  echo "kagglehub: installed in $venv"
}

pids=()
for v in "${versions[@]}"; do build "$v" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p"; done
