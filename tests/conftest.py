import json, os, shutil, subprocess, sys, pytest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

@pytest.fixture(scope='session')
def data_dir():
    "Local data copies: $LAYERWISE_ADAPTER_DATA or ../shared/data beside the repository."
    d = os.environ.get('LAYERWISE_ADAPTER_DATA') or ROOT.parent/'shared'/'data'
    if not Path(d).is_dir(): pytest.skip(f'no local data copies at {d}')
    return str(d)

def lwa(*args, cwd=None, env=None, **kw):
    "Run the `lwa` command line in a subprocess; the completed process."
    return subprocess.run(
        [sys.executable, '-m', 'layerwise_adapter.experiments.cli', *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=None if env is None else {**os.environ, **env},
        **kw
    )

def stderr_lines(r)->list[str]:
    "What lwa said on stderr, without the kernel's own start-up warnings."
    return [l for l in r.stderr.splitlines() if l.strip() and '[IPKernelApp]' not in l]

def run_hypothesis(name:str, out:Path, data_dir:str, *extra:str):
    "Run `lwa run NAME --profile smoke` into `out` in a subprocess; (completed process, metrics.json or None)."
    r = lwa('run', name, '--profile', 'smoke', '--data-dir', data_dir, '--out', str(out), '--no-progress', *extra)
    m = out/'metrics.json'
    return r, (json.loads(m.read_text()) if r.returncode == 0 and m.exists() else None)

def repo_copy(dest:Path)->Path:
    """A committed git repository at `dest` with this working tree's files (tracked and new, not ignored): runs there
    cannot touch the real tree."""
    files = subprocess.run(
        ['git', '-C', str(ROOT), 'ls-files', '-co', '--exclude-standard', '-z'],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for f in filter(None, files.split('\0')):
        if (ROOT/f).is_file():
            (dest/f).parent.mkdir(parents=True, exist_ok=True); shutil.copy2(ROOT/f, dest/f)
    for a in (['init', '-q'], ['add', '-A'], ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'copy']):
        subprocess.run(['git', '-C', str(dest), *a], check=True, capture_output=True)
    return dest

H9_PARAMS = """n = 2  # a number
fail = False  # raise in the body?
sleep = 0.0  # seconds to sleep first
data_dir = ''  # load ml-100k from here, if given
out_dir = '.'  # set by lwa run
profile = 'custom'  # set by lwa run"""

H9_BODY = """import sys, time
from pathlib import Path
time.sleep(sleep)
assert not fail, 'asked to fail'
if data_dir:
    from layerwise_adapter.data.load import load_dataset
    load_dataset('ml-100k', data_dir)
from layerwise_adapter.core.base import hypotheses_dir
Path(out_dir, 'report.md').write_text(f'# H9 ({profile} profile): a demo?\\n\\nVerdict: supported\\n\\nn={n}\\n'
                                      f'prefix={sys.prefix}\\nhypotheses={hypotheses_dir()}\\n')"""

H9_PROFILES = """constraints:
  n: {min: 1}
  fail: {choices: [true, false]}
  sleep: {min: 0}
  data_dir: {dir: true}
  out_dir: {set_by_lwa: true}
  profile: {set_by_lwa: true}
smoke: {n: 3}
quick: {}
"""

@pytest.fixture
def h9(tmp_path, monkeypatch):
    "A folder with a tiny hypothesis H9 (parameters n, fail, sleep, data_dir), found via $LAYERWISE_ADAPTER_HYPOTHESES."
    import nbformat
    h = tmp_path/'repo'/'nbs'/'hypotheses'; (h/'profiles').mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell(H9_PARAMS); p.metadata['tags'] = ['parameters']
    nb.cells = [p, nbformat.v4.new_code_cell(H9_BODY)]
    nb.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}
    nbformat.write(nb, h/'H9_demo.ipynb')
    (h/'profiles'/'H9.yaml').write_text(H9_PROFILES)
    monkeypatch.setenv('LAYERWISE_ADAPTER_HYPOTHESES', str(h))
    return h
