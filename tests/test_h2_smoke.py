"The H2 smoke profile through papermill writes a complete report with a computed verdict."
from layerwise_adapter.experiments.runner import report_verdict
from conftest import run_hypothesis

def test_h2_smoke_report(tmp_path, data_dir):
    out = tmp_path/'H2'
    r, m = run_hypothesis('H2', out, data_dir)
    report = (out/'report.md').read_text()[:3000] if (out/'report.md').exists() else ''
    assert r.returncode == 0, (r.stdout[-2000:], r.stderr[-4000:], report)
    assert report_verdict(out/'report.md') in ('supported', 'not supported', 'inconclusive')
    assert (out/'report.md').read_text().startswith('# H2 (smoke profile): does Fisher information')
    assert m['parameters']['profile'] == 'smoke'
    metrics = {r['metric'] for r in m['correlation_with_ablation']}
    assert {'fisher_empirical_sum', 'fisher_true_sum', 'fisher_block_top_eig', 'block_influence', 'taylor',
            'random', 'activation_norm', 'activation_heads', 'activation_channels'} <= metrics
    assert 'activation_norm' in {r['rival'] for r in m['fisher_versus_rivals']}
    assert 'forward_only' in m['fisher_seconds']
    groups = m['student_groups']
    assert sum(len(g['methods']) for g in groups) == 9 + 10    # every method and random draw, coinciding ones grouped
    assert set(m['decision']['p_holm']) == {'d1', 'd2'}
    t2 = m['decision']['test2']     # seed-aware: the smoke profile heals test 2's students with 2 seeds
    assert (t2['n_seeds'], t2['seeds'], t2['margin_test']) == (2, [0, 1], False), t2
    assert t2['noise_model'].startswith('seeds and users crossed random effects')
    assert all(t2[k] == t2[k] for k in ('se', 'df', 'seed_sd', 'mde', 'power')), t2     # computed, not NaN
    assert 'too few for a verdict that a difference is shown below a margin' in (out/'report.md').read_text()
    assert m['verdict'] in ('supported', 'not supported', 'inconclusive')
    budgets = m['student_budgets']
    assert any(b['student'] == 'full' and b['healed'] for b in budgets)
    assert all(b['optimiser_steps'] > 0 for b in budgets if b['healed'])
    for f in ('H2.ipynb', 'metric_agreement.png', 'fisher_by_layer.png', 'students.png', 'students_per_user.csv.gz',
              'students_budget.csv', 'layer_scores.csv', 'teacher_vs_baselines.png', 'teacher_test_per_user.csv.gz',
              'config.json', 'activation_heads.csv', 'activation_channels.csv'):
        assert (out/f).stat().st_size > 0, f
    print(f"H2 smoke: {m['seconds']:.0f} s")
