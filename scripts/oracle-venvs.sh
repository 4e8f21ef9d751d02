#!/usr/bin/env bash
# Builds one venv per real client version for the real-client oracle (tests/oracle.rs), from
# PyPI, all in parallel (CI time matters). Cached: a venv that already holds the right version
# is kept. kaggle versions are plain version numbers; kagglehub ones are "hub-VERSION"; "hub"
# alone is the latest kagglehub (its venv is "kagglehub").
#   scripts/oracle-venvs.sh [DIR [VERSION…]]   (default: target/oracle-venvs and every version below)
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-target/oracle-venvs}"
mkdir -p "$dir"
versions=(1.5.16 1.6.17 1.7.4.5 1.8.0 1.8.4 2.0.2 2.2.5 hub-0.3.13 hub-0.4.3 hub)
if [ $# -gt 1 ]; then versions=("${@:2}"); fi

# cached VENV DIST VERSION: true when VENV already holds DIST at VERSION (any version if empty).
cached() {
  [ -x "$1/bin/python" ] && "$1/bin/python" -c "import importlib.metadata as m, sys; v = m.version('$2'); sys.exit(0 if '$3' in ('', v) else 1)" 2>/dev/null
}

# install VENV REQUIREMENT…: a fresh venv holding the requirements.
install() {
  local venv="$1"
  shift
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$@"
}

build() {
  local spec="$1" venv dist version req
  case "$spec" in
    hub) venv="$dir/kagglehub" dist=kagglehub version="" req=kagglehub ;;
    hub-*) version="${spec#hub-}" venv="$dir/kagglehub-${spec#hub-}" dist=kagglehub req="kagglehub==${spec#hub-}" ;;
    *) version="$spec" venv="$dir/kaggle-$spec" dist=kaggle req="kaggle==$spec" ;;
  esac
  if cached "$venv" "$dist" "$version"; then
    echo "$dist ${version:-latest}: cached in $venv"
    return
  fi
  # kaggle >= 1.8 and kagglehub's kagglesdk import six, and kaggle 1.8.0 dateutil, without
  # declaring them; harmless elsewhere.
  install "$venv" "$req" six python-dateutil
  echo "$dist ${version:-latest}: installed in $venv"
}

pids=()
for v in "${versions[@]}"; do build "$v" & pids+=($!); done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
exit $status
