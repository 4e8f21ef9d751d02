#!/usr/bin/env bash
# The GitHub Action's only step (action.yml): install kaggle-auth-doctor, run it once,
# publish the verdict. Inputs arrive as INPUT_* environment variables; outputs go to
# $GITHUB_OUTPUT, the Markdown report to $GITHUB_STEP_SUMMARY, findings become
# annotations. Nothing here prints the environment or a credential, and nothing is
# uploaded: the report file stays on the runner for the workflow to use.
# tests/action.rs runs this script in a simulated Actions environment.
set -euo pipefail

work="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/kaggle-auth-doctor"
mkdir -p "$work"

# Without Actions (a local try), the summary goes to a file of our own.
export GITHUB_STEP_SUMMARY="${GITHUB_STEP_SUMMARY:-$work/summary.md}"
GITHUB_OUTPUT="${GITHUB_OUTPUT:-$work/output}"

output() { printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; }

# The binary to run: INPUT_BINARY, or a fresh venv with the pinned PyPI release.
install() {
    if [ -n "${INPUT_BINARY:-}" ]; then
        printf '%s\n' "$INPUT_BINARY"
        return
    fi
    local python venv spec scripts
    python="$(command -v python3 || command -v python)" || {
        echo "::error title=kaggle-auth-doctor::Python 3 is needed to install kaggle-auth-doctor (or set the 'binary' input)" >&2
        return 1
    }
    venv="$work/venv"
    case "${INPUT_VERSION:-}" in
        "" | latest) spec="kaggle-auth-doctor" ;;
        *.whl | */*) spec="$INPUT_VERSION" ;; # a wheel file: testing a build before release
        *) spec="kaggle-auth-doctor==$INPUT_VERSION" ;;
    esac
    echo "::group::Install $spec" >&2
    "$python" -m venv "$venv" >&2
    scripts="$venv/bin"
    [ -d "$scripts" ] || scripts="$venv/Scripts"
    "$scripts/python" -m pip install --disable-pip-version-check --no-input --quiet "$spec" >&2
    echo "::endgroup::" >&2
    if [ -x "$scripts/kaggle-auth-doctor" ]; then
        printf '%s\n' "$scripts/kaggle-auth-doctor"
    else
        printf '%s\n' "$scripts/kaggle-auth-doctor.exe"
    fi
}

# The doctor's arguments from the inputs; empty inputs add nothing.
arguments() {
    args=(check --step-summary)
    local flag name value
    for pair in competition:COMPETITION require:REQUIRE dataset:DATASET model:MODEL kernel:KERNEL \
        fail-on:FAIL_ON; do
        flag="${pair%%:*}"
        name="INPUT_${pair#*:}"
        value="${!name:-}"
        [ -z "$value" ] || args+=("--$flag" "$value")
    done
    [ "${INPUT_EFFECTIVE_ONLY:-true}" != "true" ] || args+=(--effective-only)
    args+=(--format "$format" --output "$report")
    local extra
    read -r -a extra <<<"${INPUT_ARGS:-}"
    args+=(${extra[@]+"${extra[@]}"}) # bash 3.2 (macOS runners): no "${a[@]}" of an empty array under set -u
}

# pass/fail/inconclusive from the Markdown report the doctor just appended to the summary.
verdict_of() {
    local appended="$1" line
    line="$(grep -m1 -oE 'kaggle-auth-doctor: (PASS|FAIL|INCONCLUSIVE)' <<<"$appended" || true)"
    case "$line" in
        *PASS) echo pass ;;
        *FAIL) echo fail ;;
        *INCONCLUSIVE) echo inconclusive ;;
        *) echo error ;;
    esac
}

format="${INPUT_FORMAT:-json}"
case "$format" in
    json | junit | markdown | text) ;;
    *)
        echo "::error title=kaggle-auth-doctor::format must be json, junit, markdown or text, not '$format'" >&2
        output verdict error
        output exit-code 2
        exit 2
        ;;
esac
extension="$format"
[ "$format" != markdown ] || extension=md
[ "$format" != junit ] || extension=xml
[ "$format" != text ] || extension=txt
report="${INPUT_REPORT:-$work/report.$extension}"

# A failed install is a runtime failure (exit 4), as the doctor's own are.
if ! binary="$(install)"; then
    output verdict error
    output exit-code 4
    exit 4
fi
arguments
touch "$GITHUB_STEP_SUMMARY"
before="$(wc -c <"$GITHUB_STEP_SUMMARY")"

code=0
"$binary" "${args[@]}" || code=$?

appended="$(tail -c +"$((before + 1))" "$GITHUB_STEP_SUMMARY")"
verdict="$(verdict_of "$appended")"
output verdict "$verdict"
output exit-code "$code"
output report "$report"
exit "$code"
