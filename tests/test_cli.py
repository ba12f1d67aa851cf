"The `lwa` command line: data statistics and parameter checks, as a user runs them."
import json, subprocess, sys

def lwa(*args):
    return subprocess.run(
        [sys.executable, '-m', 'layerwise_adapter.experiments.cli', *args], capture_output=True, text=True
    )

def test_data_stats_ml100k(data_dir):
    r = lwa('data', 'stats', 'ml-100k', '--data-dir', data_dir)
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert (s['n_users'], s['n_items'], s['n_interactions']) == (943, 1682, 100_000)
    assert (s['n_valid'], s['n_test'], s['n_train']) == (943, 943, 100_000 - 2*943)
    assert (s['tie_break'], s['tie_seed']) == ('random', 0) and 0.5 < s['tied_share'] < 0.52

def test_data_stats_tie_rule(data_dir):
    r = lwa('data', 'stats', 'ml-100k', '--data-dir', data_dir, '--tie-break', 'id')
    assert r.returncode == 0 and json.loads(r.stdout)['tie_break'] == 'id' and json.loads(r.stdout)['tie_seed'] is None
    r = lwa('data', 'stats', 'ml-100k', '--data-dir', data_dir, '--tie-break', 'time')
    assert r.returncode == 2 and "invalid choice: 'time'" in r.stderr

def test_unknown_dataset_is_a_clear_error(data_dir):
    r = lwa('data', 'stats', 'ml-7m', '--data-dir', data_dir)
    assert r.returncode == 2 and 'ml-7m' in r.stderr and 'Traceback' not in r.stderr

def test_unknown_parameter_rejected_before_running(tmp_path):
    r = lwa('run', 'H1', '--profile', 'smoke', '-p', 'epochz=3', '--out', str(tmp_path/'H1'))
    assert r.returncode == 2 and "unknown parameter(s) ['epochz']" in r.stderr
    assert not (tmp_path/'H1').exists()

def test_bad_parameter_value_and_profile(tmp_path):
    r = lwa('run', 'H1', '-p', 'n_random=two', '--out', str(tmp_path/'H1'))
    assert r.returncode == 2 and 'n_random' in r.stderr
    r = lwa('run', 'H1', '--profile', 'huge', '--out', str(tmp_path/'H1'))
    assert r.returncode == 2 and "profile 'huge'" in r.stderr

if __name__ == '__main__': sys.exit(lwa(*sys.argv[1:]).returncode)

def test_params_shows_every_parameter_with_its_source():
    "`lwa params H3`: every parameter a run would use (config defaults too), each with where its value came from."
    from layerwise_adapter.experiments.params import available_hypotheses, declared_parameters
    r = lwa('params', 'H3', '--profile', 'smoke', '-p', 'seed=3')
    assert r.returncode == 0, r.stderr
    p = json.loads(r.stdout)
    assert set(p) == set(declared_parameters(available_hypotheses()['H3']))
    assert p['seed'] == {'value': 3, 'from': 'command line'}
    assert p['teacher'] == {'value': 'smoke', 'from': 'H3.yaml:smoke'}
    assert p['alpha']['from'] == 'overall.yaml' and p['teacher_key'] == {'value': '', 'from': 'H3Config default'}
    assert {v['from'] for v in p.values()} >= {'command line', 'H3.yaml:smoke', 'overall.yaml', 'H3Config default'}

def test_missing_rating_column_names_the_columns(tmp_path):
    "Your own file without the rating column it names: the column and the file's columns, no KeyError."
    f = tmp_path/'inter.csv'; f.write_text('user,item,timestamp\nu1,i1,1\nu1,i2,2\nu1,i3,3\n')
    r = lwa('data', 'stats', str(f), '--rating-col', 'stars')
    assert r.returncode == 2 and "no column 'stars' (rating)" in r.stderr and "'timestamp'" in r.stderr, r.stderr
    assert 'Traceback' not in r.stderr
