"The H1 smoke profile through papermill writes a complete report with a computed verdict."
from layerwise_adapter.runner import report_verdict
from conftest import run_hypothesis

def test_h1_smoke_report(tmp_path, data_dir):
    out = tmp_path/'H1'
    r, m = run_hypothesis('H1', out, data_dir)
    assert r.returncode == 0, (r.stdout[-2000:], r.stderr[-4000:])
    assert report_verdict(out/'report.md') in ('supported', 'not supported', 'inconclusive')
    assert m['parameters']['profile'] == 'smoke' and m['data']['n_users'] == 943
    assert len(m['ablation_importance']) == m['teacher']['n_layers']
    for f in ('H1.ipynb', 'ablation_by_layer.png', 'layer_analyses.png', 'test_ndcg_by_model.png', 'per_user_test.csv.gz', 'status.json'):
        assert (out/f).stat().st_size > 0, f
    print(f"H1 smoke: {m['seconds']:.0f} s")

def test_failed_run_replaces_old_report(tmp_path, data_dir):
    out = tmp_path/'H1'; out.mkdir(); (out/'report.md').write_text('Verdict: supported\n')
    r, _ = run_hypothesis('H1', out, data_dir, '-p', 'dataset=amazon-No_Such_Category')
    assert r.returncode == 1
    txt = (out/'report.md').read_text()
    assert 'run FAILED' in txt and report_verdict(out/'report.md') is None
