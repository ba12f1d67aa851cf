import os, pytest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

@pytest.fixture(scope='session')
def data_dir():
    "Local data copies: $LAYERWISE_ADAPTER_DATA or ../shared/data beside the repository."
    d = os.environ.get('LAYERWISE_ADAPTER_DATA') or ROOT.parent/'shared'/'data'
    if not Path(d).is_dir(): pytest.skip(f'no local data copies at {d}')
    return str(d)
