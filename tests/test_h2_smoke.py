"The H2 smoke profile through papermill writes a complete report with a computed verdict."
import json, subprocess, sys, time
from layerwise_adapter.runner import report_verdict

def test_h2_smoke_report(tmp_path, data_dir):
    out = tmp_path/'H2'
    t0 = time.time()
    r = subprocess.run([sys.executable, '-m', 'layerwise_adapter.cli', 'run', 'H2', '--profile', 'smoke', '--data-dir', data_dir,
                        '--out', str(out), '--no-progress'], capture_output=True, text=True)
    seconds = time.time() - t0
    assert r.returncode == 0, (r.stdout[-2000:], r.stderr[-4000:], (out/'report.md').read_text()[:3000] if (out/'report.md').exists() else '')
    assert report_verdict(out/'report.md') in ('supported', 'not supported', 'inconclusive')
    m = json.loads((out/'metrics.json').read_text())
    assert m['parameters']['profile'] == 'smoke'
    metrics = {r['metric'] for r in m['correlation_with_ablation']}
    assert {'fisher_empirical_sum', 'fisher_true_sum', 'fisher_block_top_eig', 'block_influence', 'taylor', 'random'} <= metrics
    assert len(m['selections']) == 9 * 3          # methods x seeds at the one smoke budget
    for f in ('H2.ipynb', 'metric_agreement.png', 'fisher_by_layer.png', 'students.png', 'students_per_user.csv.gz'):
        assert (out/f).stat().st_size > 0, f
    assert seconds < 150, f'smoke run took {seconds:.0f} s'
