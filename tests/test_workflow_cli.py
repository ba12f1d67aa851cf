"""Your own data and model from the command line: on a generated CSV of 200 users and 100 items with titles,
`lwa train` (tiny model) -> `lwa layers` -> `lwa distill` -> `lwa evaluate` -> `lwa recommend`, each exit 0 with
output that parses; a bad CSV is refused with one line and exit 2."""
import json
import pandas as pd
import pytest
from conftest import lwa, stderr_lines
from layerwise_adapter.data.files import synthetic_files

@pytest.fixture(scope='module')
def files(tmp_path_factory):
    return synthetic_files(tmp_path_factory.mktemp('data'))

def test_train_layers_distill_evaluate_recommend(files, tmp_path):
    inter, items = map(str, files)
    env = dict(LAYERWISE_ADAPTER_CACHE=str(tmp_path/'cache'))
    data = [inter, '--items', items]
    r = lwa('train', *data, '--backbone', 'tiny-llama', '--epochs', '3', '--max-len', '8', '--out', str(tmp_path/'t'),
            env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    assert json.loads(r.stdout.strip().splitlines()[-1])['optimiser_steps'] > 0
    r = lwa('layers', str(tmp_path/'t'), *data, '--users', '64', '--out', str(tmp_path/'layers'), env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    scores = pd.read_csv(tmp_path/'layers'/'layer_scores.csv')
    assert list(scores.columns) == ['layer', 'depth', 'fisher', 'block_influence', 'angular', 'ablation']
    assert (tmp_path/'layers'/'layer_scores.png').stat().st_size > 0
    r = lwa('distill', str(tmp_path/'t'), *data, '--keep', '0.5', '--out', str(tmp_path/'s'), env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    assert len(json.loads(r.stdout.strip().splitlines()[-1])['kept_layers']) == len(scores) // 2
    for model in ('t', 's'):
        r = lwa('evaluate', str(tmp_path/model), *data, env=env)
        assert r.returncode == 0, r.stderr[-3000:]
        ev = json.loads(r.stdout)
        assert ev['n_users'] == 200 and 0 <= ev['full']['NDCG@10'] <= 1
    (tmp_path/'users.txt').write_text('u3\nu4\n')
    r = lwa('recommend', str(tmp_path/'s'), *data, '--user', 'u1', '--users-file', str(tmp_path/'users.txt'), '-k', '5',
            env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    lines = [json.loads(l) for l in r.stdout.strip().splitlines()]
    assert [l['user'] for l in lines] == ['u1', 'u3', 'u4'] and all(len(l['items']) == 5 for l in lines)
    assert lines[0]['items'][0]['title'].startswith('Film number') and lines[0]['items'][0]['rank'] == 1
    r = lwa('recommend', str(tmp_path/'s'), *data, '--user', 'stranger', env=env)
    assert r.returncode == 2 and "unknown user(s) ['stranger']" in r.stderr

@pytest.mark.parametrize('bad,says', [
    (lambda df: df.drop(columns='timestamp'), "no column 'timestamp' (timestamp)"),
    (lambda df: df.assign(timestamp=df.timestamp.astype(str).where(df.index != 3, 'soon')), "line 5: timestamp 'soon'"),
    (None, 'the file is empty')])
def test_bad_csv_is_refused_in_one_line(files, tmp_path, bad, says):
    f = tmp_path/'bad.csv'
    if bad is None: f.write_text('')
    else: bad(pd.read_csv(files[0])).to_csv(f, index=False)
    for args in (['data', 'stats', str(f)], ['train', str(f), '--out', str(tmp_path/'m')]):
        r = lwa(*args)
        lines = stderr_lines(r)
        assert r.returncode == 2 and len(lines) == 1 and says in lines[0], r.stderr
    assert not (tmp_path/'m').exists()

def test_data_stats_of_a_file(files):
    r = lwa('data', 'stats', str(files[0]))
    assert r.returncode == 0, r.stderr
    st = json.loads(r.stdout)
    assert (st['n_users'], st['n_items']) == (200, 100)
