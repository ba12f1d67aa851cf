"""The H3 smoke profile through papermill writes a complete report with a computed verdict, every arm and the speed
table."""
from layerwise_adapter.experiments.runner import report_verdict
from conftest import run_hypothesis

def test_h3_smoke_report(tmp_path, data_dir):
    out = tmp_path/'H3'
    r, m = run_hypothesis('H3', out, data_dir)
    assert r.returncode == 0, (r.stdout[-2000:], r.stderr[-4000:],
                               (out/'report.md').read_text()[:3000] if (out/'report.md').exists() else '')
    text = (out/'report.md').read_text()
    assert text.startswith("# H3 (smoke profile): does weighting each layer's distillation loss")
    assert m['verdict'] in ('supported', 'not supported', 'inconclusive')
    assert report_verdict(out/'report.md') == m['verdict']
    assert m['parameters']['profile'] == 'smoke' and m['teacher_gate']['passed']
    arms = {s['arm'] for s in m['students']}
    assert arms == {'weights:uniform', 'weights:depth', 'weights:fisher', 'weights:learned', 'weights:dynamic',
                    'mapping:uniform', 'mapping:importance', 'mapping:random', 'mapping:reversed', 'ce_only',
                    'logit_only', 'pruned_healed'}, arms
    for s in m['students']:   # every student: its quality relative to the teacher and its speedup, under those names
        assert s['ndcg10_ratio_to_teacher'] > 0 and s['speedup'] > 1 and s['seeds'] == 3, s
    runs = m['student_runs']
    assert len(runs) == 3 * len(arms)
    assert len({r['optimiser_steps'] for r in runs}) == 1   # every arm and seed, pruned_healed included: the same steps
    assert {r['seed'] for r in runs} == {0, 1, 2}
    random_maps = [tuple(r['mapping']) for r in runs if r['arm'] == 'mapping:random']
    assert len(set(random_maps)) == 3 and all(len(mp) == 3 for mp in random_maps)   # one draw per seed
    fisher = m['teacher_fisher']['values']
    lowest = sorted(sorted(range(len(fisher)), key=lambda i: (fisher[i], i))[:3])
    assert all(r['mapping'] == lowest for r in runs if r['arm'] == 'mapping:reversed'), lowest   # least important
    first = lambda arm: [r['mapping'] for r in runs if r['arm'] == arm][0]
    # the base mapping 'spread' against SLMRec's 'uniform'
    assert first('weights:uniform') == first('ce_only') == [0, 3, 5] and first('mapping:uniform') == [1, 3, 5]
    tests = m['decision']['tests']
    assert len(tests) == 1 and tests[0]['n_users'] == 200 and tests[0]['verdict'] == m['verdict']
    # seed-aware: seeds and users random, the sensitivity under that noise model, enough seeds for the margin test
    t = tests[0]
    assert t['n_seeds'] == 3 and t['margin_test'] and len(t['seed_means']) == 3, t
    assert t['se'] > 0 and 1 <= t['df'] <= 3 * 200 - 1 and t['seed_sd'] >= 0 and t['mde'] > 0, t
    assert 0 <= t['power_below'] <= 1 and 0 <= t['power'] <= 1 and t['ci_low'] < t['mean_diff'] < t['ci_high'], t
    table = text.split('## Deciding results')[1].split('\n\n')[1]
    assert all(c in table.split('\n')[0] for c in ('| se |', '| df |', '| seed_sd |', '| mde |', '| power_below |'))
    # the best arm is chosen on validation users, then its test numbers
    best, at = m['best_arm'], [s for s in m['students'] if s['budget'] == 0.5]
    assert best['selected_on'] == 'valid' and best['budget'] == 0.5, best
    assert best['name'] == max(at, key=lambda s: s['valid_ndcg10'])['arm'], best
    chosen = next(s for s in at if s['arm'] == best['name'])
    assert best['test_ndcg10'] == chosen['ndcg10'], (best, chosen)
    assert best['ndcg10_ratio_to_teacher'] == chosen['ndcg10_ratio_to_teacher'], (best, chosen)
    assert best['ratio_ci_low'] <= best['ndcg10_ratio_to_teacher'] <= best['ratio_ci_high'], best
    assert m['targets']['best_arm'] == best['name'] and m['targets']['selected_on'] == 'valid'
    assert set(m['decision']['p_holm']) == {'0.5'}
    # the margin test: a one-sided upper bound above the mean, and 'not supported' whenever it shows the gain below
    # the margin
    assert t['upper_95'] > t['mean_diff'] and t['margin'] > 0 and set(m['decision']['p_below_holm']) == {'0.5'}
    assert t['p_below_holm'] >= 0.05 or t['verdict'] == 'not supported' or (t['p_holm'] < 0.05 and t['mean_diff'] > 0)
    assert [row['model'] for row in m['speed']] == ['teacher', '50%'] and m['speed'][1]['n_layers'] == 3
    assert m['speed'][0]['weights_mib'] > m['speed'][1]['weights_mib'] > 0   # the memory a model holds: its weights
    for f in ('H3.ipynb', 'quality_vs_budget.png', 'layer_weights.png', 'students_per_user.csv.gz', 'student_runs.csv',
              'students_valid_per_user.csv.gz', 'layer_weights.csv', 'teacher_vs_baselines.png'):
        assert (out/f).stat().st_size > 0, f
    print(f"H3 smoke: {m['seconds']:.0f} s")
