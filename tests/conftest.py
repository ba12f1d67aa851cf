import os, pytest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

@pytest.fixture(scope='session')
def data_dir():
    "Local data copies: $LAYERWISE_ADAPTER_DATA or ../shared/data beside the repository."
    d = os.environ.get('LAYERWISE_ADAPTER_DATA') or ROOT.parent/'shared'/'data'
    if not Path(d).is_dir(): pytest.skip(f'no local data copies at {d}')
    return str(d)

def run_hypothesis(name:str, out:Path, data_dir:str, *extra:str):
    "Run `lwa run NAME --profile smoke` into `out` in a subprocess; (completed process, metrics.json or None)."
    import json, subprocess, sys
    r = subprocess.run([sys.executable, '-m', 'layerwise_adapter.cli', 'run', name, '--profile', 'smoke', '--data-dir', data_dir,
                        '--out', str(out), '--no-progress', *extra], capture_output=True, text=True)
    m = out/'metrics.json'
    return r, (json.loads(m.read_text()) if r.returncode == 0 and m.exists() else None)
