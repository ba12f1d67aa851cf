"""The H5 smoke profile through papermill writes a complete report: every family on one bench, each student saved and
reloaded to the same scores, costs measured per model, the Pareto front, the deciding test with its verdict."""
import math
from layerwise_adapter.experiments.runner import report_verdict
from conftest import run_hypothesis

FAMILIES = {'depth', 'width', 'depth+width', 'conventional', 'precision'}

def test_h5_smoke_report(tmp_path, data_dir):
    out = tmp_path/'H5'
    r, m = run_hypothesis('H5', out, data_dir)
    assert r.returncode == 0, (r.stdout[-2000:], r.stderr[-4000:],
                               (out/'report.md').read_text()[:3000] if (out/'report.md').exists() else '')
    text = (out/'report.md').read_text()
    assert text.startswith('# H5 (smoke profile): which compression of the LLM recommender')
    assert m['verdict'] in ('supported', 'not supported', 'inconclusive')
    assert report_verdict(out/'report.md') == m['verdict']
    assert m['parameters']['profile'] == 'smoke' and m['teacher_gate']['passed']
    rows = m['students']
    assert {s['family'] for s in rows} == FAMILIES
    names = {s['student'] for s in rows}
    assert {'depth:importance@0.5', 'depth:spread@0.25', 'depth:random@0.5', 'width@0.5', 'width:scratch@0.25',
            'sasrec:distilled', 'sasrec:alone'} <= names, names
    assert any(n.startswith('depth+width@0.5x') for n in names) and any(n.endswith(':int8') for n in names)
    for s in rows:   # a row per student and seed and one per seed-mean, under the names
        assert s['seed'] in (0, 1, 'mean'), s
        assert s['ndcg10_ratio_to_teacher'] > 0 and s['throughput_ratio'] > 0 and s['latency_ratio_b1'] > 0, s
    assert len([s for s in rows if s['seed'] == 'mean']) == len(names) and len(rows) == 3 * len(names)
    runs = m['student_runs']
    assert all(r['reload_max_abs_diff'] < 1e-4 for r in runs), max(r['reload_max_abs_diff'] for r in runs)
    llm = {r['optimiser_steps'] for r in runs if r['family'] in ('depth', 'width', 'depth+width')}
    conv = {r['optimiser_steps'] for r in runs if r['family'] == 'conventional'}
    assert len(llm) == 1 and len(conv) == 1, (llm, conv)   # the same budget within each kind of student
    for r in runs:   # parameters apart: backbone layers, the token table, the item side
        assert r['backbone_params'] > 0
        assert r['params'] == r['backbone_params'] + r['token_table_params'] + r['item_params']
    costs = {c['model']: c for c in m['costs']}
    assert {'teacher', 'sasrec'} <= set(costs) and names <= set(costs), set(costs) ^ names
    assert len({round(c['peak_rss_delta_mib'], 3) for c in costs.values()}) > 3   # measured per model, not one number
    assert costs['teacher']['weights_mib'] > costs['width@0.25']['weights_mib'] > costs['sasrec']['weights_mib']
    d = m['decision']
    assert d['n_seeds'] == 2 and d['n_users'] == 200 and d['verdict'] == m['verdict'] and d['ci_low'] < d['ci_high']
    front = m['front']
    lat = [f['latency_b1_s'] for f in front]
    assert lat == sorted(lat) and all(not math.isnan(f['ndcg10_ratio_to_teacher']) for f in front)
    assert m['best_llm_student']['selected_on'] == 'valid'
    assert {t['throughput_at_least'] for t in m['targets']} == {10.0, 3.0}
    for f in ('H5.ipynb', 'pareto.png', 'students_per_user.csv.gz', 'students_valid_per_user.csv.gz',
              'student_runs.csv'):
        assert (out/f).stat().st_size > 0, f
    print(f"H5 smoke: {m['seconds']:.0f} s")
