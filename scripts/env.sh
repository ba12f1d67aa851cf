# Sourced by the scripts: activate .venv and point at local data copies where they exist.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. .venv/bin/activate
if [ -z "${LAYERWISE_ADAPTER_DATA:-}" ] && [ -d ../shared/data ]; then export LAYERWISE_ADAPTER_DATA=$(cd ../shared/data && pwd); fi
export HF_HUB_OFFLINE=${HF_HUB_OFFLINE:-1}   # no model hub here: fail fast instead of retrying
export TOKENIZERS_PARALLELISM=false
