"`lwa run all` runs every hypothesis in the order of its number and leaves an index of the reports it wrote."
import json
import nbformat
from conftest import lwa, H9_PARAMS, H9_BODY, H9_PROFILES
from layerwise_adapter.experiments.params import available_hypotheses

def test_run_all_in_number_order_with_index(tmp_path, monkeypatch):
    h = tmp_path/'repo'/'nbs'/'hypotheses'; (h/'profiles').mkdir(parents=True)
    for name in ('H10_later', 'H2_second', 'H1_first'):
        nb = nbformat.v4.new_notebook()
        p = nbformat.v4.new_code_cell(H9_PARAMS); p.metadata['tags'] = ['parameters']
        nb.cells = [p, nbformat.v4.new_code_cell(H9_BODY)]
        nb.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}
        nbformat.write(nb, h/f'{name}.ipynb')
        (h/'profiles'/f"{name.split('_')[0]}.yaml").write_text(H9_PROFILES)
    monkeypatch.setenv('LAYERWISE_ADAPTER_HYPOTHESES', str(h))
    r = lwa('run', 'all', '--profile', 'smoke', '--no-progress', '-p', 'n=4')
    assert r.returncode == 0, r.stderr[-3000:]
    runs = [json.loads(l) for l in r.stdout.splitlines() if l.startswith('{')]
    assert [s['hypothesis'] for s in runs] == ['H1', 'H2', 'H10'] and all(s['ok'] for s in runs)
    index = (tmp_path/'repo'/'reports'/'smoke'/'README.md').read_text()
    rows = [l for l in index.splitlines() if l.startswith('| H')]
    assert [l.split(' | ')[0] for l in rows] == ['| H1', '| H2', '| H10'] and all(
        '| supported | smoke |' in l for l in rows
    )

def test_this_repository_runs_h1_to_h4_in_order():
    names = list(available_hypotheses())
    assert names == sorted(names, key=lambda n: int(n[1:])) and {'H1', 'H2', 'H4'} <= set(names)
