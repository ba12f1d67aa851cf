#!/usr/bin/env bash
# The test suite: install, check that notebooks and the exported library agree, run the notebook tests and pytest.
set -euo pipefail
bash "$(dirname "$0")/install.sh"
. "$(dirname "$0")/env.sh"
before=$(git status --porcelain --untracked-files=no)
nbdev_export
nbdev_clean
after=$(git status --porcelain --untracked-files=no)
if [ "$before" != "$after" ]; then
  echo "test.sh: nbdev_export / nbdev_clean changed tracked files; run them and commit:"; git status --short --untracked-files=no; exit 1
fi
# two notebooks at a time, one thread each: two-thread torch in both would oversubscribe the 2 cores
OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 nbdev_test --n_workers 2 --timing
pytest -q tests
