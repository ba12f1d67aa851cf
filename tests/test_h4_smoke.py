"""The H4 smoke profile through papermill: three tiny families on both tasks, a computed verdict, costs, figures and
the index."""
import json, subprocess
from layerwise_adapter.experiments.runner import report_verdict
from conftest import lwa, repo_copy

def test_h4_smoke_report(tmp_path, data_dir):
    """`lwa run H4 --profile smoke` in a committed copy of this working tree: the report goes to reports/smoke/H4/ with
    a verdict decided by Holm-adjusted seed-aware tests ([seeds, users], seeds random) against each other family,
    the preference task's AUC tests, costs, figures and the design history; reports/smoke/README.md lists it; no
    tracked file changes."""
    repo = repo_copy(tmp_path/'repo')
    r = lwa('run', 'H4', '--profile', 'smoke', '--data-dir', data_dir, '--no-progress', cwd=repo)
    assert r.returncode == 0, (r.stdout[-2000:], r.stderr[-4000:])
    git = subprocess.run(['git', '-C', str(repo), 'status', '--porcelain', '--untracked-files=all'],
                         capture_output=True, text=True, check=True)
    assert git.stdout == '', git.stdout
    out = repo/'reports'/'smoke'/'H4'
    txt = (out/'report.md').read_text()
    assert txt.startswith('# H4 (smoke profile): do Llama-family LLMs')
    verdict = report_verdict(out/'report.md')
    assert verdict in ('supported', 'not supported', 'inconclusive')
    m = json.loads((out/'metrics.json').read_text())
    assert m['verdict'] == verdict and m['teacher_gate']['passed']
    d = {row['other']: row for row in m['decision']}
    assert set(d) == {'tiny-gemma3', 'tiny-bert'} and {row['family'] for row in d.values()} == {'Gemma 3', 'BERT'}
    assert all(row['p_holm'] >= row['p'] for row in d.values())
    assert all(row['n_users'] == 200 and row['n_seeds'] == 3 for row in d.values())   # every test user, 3 seeds
    assert all(row['se'] > 0 and row['df'] > 1 and row['seed_sd'] >= 0 and row['mde'] > 0 and 0 < row['power'] <= 1
               and 0 < row['power_below'] <= 1 and row['margin_test'] and len(row['seed_means']) == 3
               for row in d.values())   # the noise model and the sensitivity under it
    assert m['decision_rule']['min_margin_seeds'] == 3 and 'seed_user_test' in m['decision_rule']['noise_model']
    assert all(row['p_below_holm'] >= row['p_below'] and row['upper_95'] > row['mean_diff'] and row['margin'] > 0
               for row in d.values())   # the margin test
    assert {r['backbone'] for r in m['next_item_records']} == {'tiny-llama', 'tiny-gemma3', 'tiny-bert',
                                                                 'random:tiny-bert'}
    # seed 0 of its backbone is the teacher
    assert [r['teacher'] for r in m['next_item_records'] if r['backbone'] == 'tiny-llama'] == [True, False, False]
    assert {r['head'] for r in m['preference_records']} == {'cls'}   # every backbone through a classification head
    assert len(m['preference_records']) == 4 * 2 * 2 and {a['shots'] for a in m['preference_auc']} == {16, 32}
    assert [t['other'] for t in m['auc_tests']] == ['tiny-gemma3', 'tiny-bert']
    assert all(t['n_seeds'] == 2 and t['se'] > 0 and t['noise'] == 'seeds and examples' for t in m['auc_tests'])
    assert {c['comparison'] for c in m['controls']} == {'pretrained - random init'}
    assert all(c['n_seeds'] in (2, 3) and c['se'] >= 0 and c['mde'] >= 0 and c['df'] > 0 for c in m['controls'])
    q = {row['backbone']: row for row in m['quality_cost']}
    assert q['tiny-bert']['family'] == 'BERT'
    assert all(row['pref_step_s'] > 0 and row['peak_rss_mb'] > 0 for row in q.values())
    assert 'Primary result' in txt and 'Quality beside cost' in txt and '| tiny-gemma3 | Gemma 3 |' in txt
    assert 'seeds and users both random (3 seeds x 200 users' in txt
    assert txt.index('## Design history') > txt.index('## Environment') and '`e7989b2`' in txt
    for f in ('H4.ipynb', 'few_shot_auc.png', 'quality_vs_size.png', 'quality_vs_time.png', 'teacher_vs_baselines.png',
              'next_item_per_user.csv.gz', 'preference_per_example.csv.gz', 'quality_cost.csv', 'status.json'):
        assert (out/f).stat().st_size > 0, f
    index = (repo/'reports'/'smoke'/'README.md').read_text()
    assert f'| H4 | {verdict} | smoke |' in index and m['teacher']['key'] in index
    print(f"H4 smoke: {m['seconds']:.0f} s")
