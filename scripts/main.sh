#!/usr/bin/env bash
# The main job: install, then run every hypothesis notebook that exists with the given profile
# (default quick) and write the reports: quick to reports/<H>/ (the committed ones), any other profile to
# reports/<profile>/<H>/ (git-ignored). With the quick profile it then runs the replication on ml-latest-small
# (H1-H3, reports/latest-small/<H>/, committed too). Usage: bash scripts/main.sh [smoke|quick|full]
set -euo pipefail
bash "$(dirname "$0")/install.sh"
. "$(dirname "$0")/env.sh"
lwa run all --profile "${1:-quick}"
if [ "${1:-quick}" = quick ]; then lwa run all --profile latest-small; fi
