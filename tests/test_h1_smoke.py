"The H1 smoke profile through papermill writes a complete report with a computed verdict, in its own place."
import json, shutil, subprocess
from layerwise_adapter.experiments.runner import report_verdict
from conftest import lwa, repo_copy, run_hypothesis

def test_h1_smoke_report_leaves_committed_reports_alone(tmp_path, data_dir):
    """`lwa run H1 --profile smoke` with the default place, in a committed copy of this working tree: the report goes to
    reports/smoke/H1/ (git-ignored), says 'smoke profile' in its title, and every tracked file of reports/ is
    unchanged."""
    repo = repo_copy(tmp_path/'repo')
    r = lwa('run', 'H1', '--profile', 'smoke', '--data-dir', data_dir, '--no-progress', cwd=repo)
    assert r.returncode == 0, (r.stdout[-2000:], r.stderr[-4000:])
    git = subprocess.run(['git', '-C', str(repo), 'status', '--porcelain', '--untracked-files=all'],
                         capture_output=True, text=True, check=True)
    assert git.stdout == '', git.stdout
    out = repo/'reports'/'smoke'/'H1'
    assert json.loads(r.stdout.splitlines()[-1])['report'] == str(out/'report.md')
    assert (out/'report.md').read_text().startswith('# H1 (smoke profile): do upper layers')
    assert report_verdict(out/'report.md') in ('supported', 'not supported', 'inconclusive')
    m = json.loads((out/'metrics.json').read_text())
    assert m['parameters']['profile'] == 'smoke' and m['teacher_gate']['passed']
    # every synthetic validation user
    assert m['primary_test']['n'] == 200 and m['verdict'] == m['primary_test']['verdict']
    assert set(m['bands']) == {'upper', 'lower'} and len(m['layer_drops']) == m['teacher']['n_layers']
    assert 'Deciding' not in (out/'report.md').read_text() and 'Primary result' in (out/'report.md').read_text()
    # beside the gate: the teacher against tuned SASRec, convergence, grid edges; the first lines say how it compares
    t, beats = m['teacher'], m['teacher_gate']['beats_conventional']
    assert isinstance(beats, bool) and t['beats_conventional'] == beats
    assert {c['model'] for c in t['convergence']} == {'teacher', 'sasrec'} and isinstance(t['converged'], bool)
    assert t['grid_edges'] and all(isinstance(e['at_edge'], bool) for e in t['grid_edges'])
    head = '\n'.join((out/'report.md').read_text().split('\n')[:6])
    assert ('A conventional model (tuned SASRec)' in head) != beats, head   # it matches or beats the teacher
    assert 'conventional model' in head and '**Convergence**' in (out/'report.md').read_text()
    for f in ('H1.ipynb', 'band_removal.png', 'ablation_by_layer.png', 'layer_analyses.png', 'teacher_vs_baselines.png',
              'teacher_convergence.png', 'band_removal_per_user.csv.gz', 'teacher_test_per_user.csv.gz',
              'status.json'):
        assert (out/f).stat().st_size > 0, f
    for f in out.iterdir():    # no absolute path of this machine: relative to the repository or the data folder
        if f.suffix in ('.md', '.json', '.ipynb'):
            assert str(repo) not in f.read_text() and str(data_dir) not in f.read_text(), f
    prov = json.loads((out/'status.json').read_text())['provenance']
    assert prov['git']['dirty'] is False and len(prov['git']['commit']) == 40
    print(f"H1 smoke: {m['seconds']:.0f} s")

def test_failed_run_replaces_old_report(tmp_path, data_dir):
    "A run that names another teacher than the profile's stops with that error, and its report says it failed."
    out = tmp_path/'H1'; out.mkdir(); (out/'report.md').write_text('Verdict: supported\n')
    (out/'status.json').write_text(json.dumps(dict(hypothesis='H1', profile='smoke', ok=True)))   # as lwa writes it
    from layerwise_adapter.core.base import cache_dir
    other = cache_dir('recommenders', '0123456789ab')   # a model of another key in the cache: the run starts and stops
    (other/'model.safetensors').write_bytes(b'x'); (other/'record.json').write_text('{}')
    try: r, _ = run_hypothesis('H1', out, data_dir, '-p', 'teacher_key=0123456789ab')
    finally: shutil.rmtree(other)   # not left in the cache, where it would name a model that is none
    assert r.returncode == 1
    assert 'lwa: H1 failed: In [' in r.stderr and 'names 0123456789ab' in r.stderr
    txt = (out/'report.md').read_text()
    assert txt.startswith('# H1 (smoke profile): run FAILED') and report_verdict(out/'report.md') is None
