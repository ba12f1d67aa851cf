"The H1 smoke profile through papermill writes a complete report with a computed verdict."
import json, subprocess, sys, time
from pathlib import Path
from layerwise_adapter.runner import report_verdict

def test_h1_smoke_report(tmp_path, data_dir):
    out = tmp_path/'H1'
    t0 = time.time()
    r = subprocess.run([sys.executable, '-m', 'layerwise_adapter.cli', 'run', 'H1', '--profile', 'smoke', '--data-dir', data_dir,
                        '--out', str(out), '--no-progress'], capture_output=True, text=True)
    seconds = time.time() - t0
    assert r.returncode == 0, (r.stdout[-2000:], r.stderr[-4000:])
    assert report_verdict(out/'report.md') in ('supported', 'not supported', 'inconclusive')
    m = json.loads((out/'metrics.json').read_text())
    assert m['parameters']['profile'] == 'smoke' and m['data']['n_users'] == 943
    assert len(m['ablation_importance']) == m['teacher']['n_layers']
    for f in ('H1.ipynb', 'ablation_by_layer.png', 'layer_analyses.png', 'test_ndcg_by_model.png', 'per_user_test.csv.gz', 'status.json'):
        assert (out/f).stat().st_size > 0, f
    assert seconds < 120, f'smoke run took {seconds:.0f} s'

def test_failed_run_replaces_old_report(tmp_path, data_dir):
    out = tmp_path/'H1'; out.mkdir(); (out/'report.md').write_text('Verdict: supported\n')
    r = subprocess.run([sys.executable, '-m', 'layerwise_adapter.cli', 'run', 'H1', '--profile', 'smoke', '--data-dir', data_dir,
                        '-p', 'dataset=amazon-No_Such_Category', '--out', str(out), '--no-progress'], capture_output=True, text=True)
    assert r.returncode == 1
    txt = (out/'report.md').read_text()
    assert 'run FAILED' in txt and report_verdict(out/'report.md') is None
