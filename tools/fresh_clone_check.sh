#!/usr/bin/env bash
# Run the README's test command on a fresh clone of this repository with no ../shared beside it, as anyone outside
# this repository's CI gets it. Run by hand (it takes minutes); extra arguments go to pytest, e.g. `-m "not slow"`.
#   tools/fresh_clone_check.sh              # a skip is allowed for what is missing, with one reason
#   CI=true tools/fresh_clone_check.sh      # under CI a missing corpus, browser or peer tool is a failure
# The clone lives in a new temporary directory, so ../shared cannot resolve; it installs nothing (the current
# environment's packages are used; run `python -m pip install -e '.[test]'` once beforehand).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/ldt-conform-fresh.XXXXXX")"
trap 'rm -rf "$work"' EXIT
git clone --quiet --no-hardlinks "$repo" "$work/repo"
cd "$work/repo"
test ! -e ../shared || { echo "fresh_clone_check: ../shared exists beside the clone" >&2; exit 2; }
echo "fresh clone at $(git rev-parse --short HEAD) in $work/repo (CI=${CI:-unset})" >&2
# cwd first on sys.path: the clone's ldt_conform is imported, not an editable install from elsewhere
python -m pytest -p no:cacheprovider -q "$@"
