"""`lwa run` as a user meets it: it replaces only report folders it wrote, cleans up after interrupted runs, stops
cleanly on Ctrl-C, says in one line why a run failed, runs the notebooks in this environment's kernel and records
where a report came from. Most tests use the tiny hypothesis H9 of conftest.py (a run takes a few seconds)."""
import json, os, signal, subprocess, sys, time
from pathlib import Path
import pytest
from conftest import lwa, repo_copy, stderr_lines

def run_h9(out, *extra, **kw):
    return lwa('run', 'H9', '--profile', 'smoke', '--out', str(out), '--no-progress', *extra, **kw)

def good_report(out:Path)->Path:
    "A report folder as lwa writes it, with a supported verdict."
    out.mkdir(parents=True)
    (out/'report.md').write_text('# H9 (smoke profile): a demo?\n\nVerdict: supported\n')
    (out/'status.json').write_text(json.dumps(dict(hypothesis='H9', profile='smoke', ok=True)))
    return out

def hidden(folder:Path)->list[str]: return sorted(p.name for p in folder.iterdir() if p.name.startswith('.'))

def test_folder_of_a_user_is_refused_and_kept(h9, tmp_path):
    mine = tmp_path/'thesis'; mine.mkdir(); (mine/'chapter1.tex').write_text('precious')
    r = run_h9(mine)
    assert r.returncode == 2 and 'lwa did not write it' in r.stderr, r.stderr
    assert sorted(os.listdir(mine)) == ['chapter1.tex'] and (mine/'chapter1.tex').read_text() == 'precious'
    assert hidden(tmp_path) == []

def test_out_dot_is_refused(h9, tmp_path):
    cwd = tmp_path/'work'; cwd.mkdir(); (cwd/'notes.txt').write_text('mine')
    r = lwa('run', 'H9', '--profile', 'smoke', '--out', '.', '--no-progress', cwd=cwd)
    assert r.returncode == 2 and 'is or holds' in r.stderr and 'Traceback' not in r.stderr, r.stderr
    assert os.listdir(cwd) == ['notes.txt']

def test_report_replaced_and_folder_follows_umask(h9, tmp_path):
    out = good_report(tmp_path/'rep')
    r = run_h9(out, preexec_fn=lambda: os.umask(0o022))
    assert r.returncode == 0, r.stderr
    assert (out/'report.md').read_text().startswith('# H9 (smoke profile): a demo?\n\nVerdict: supported\n\nn=3\n')
    assert out.stat().st_mode & 0o777 == 0o755
    assert hidden(tmp_path) == []

def test_leftovers_of_a_killed_run_are_removed(h9, tmp_path):
    out = tmp_path/'rep'
    p = subprocess.Popen(
        [
            sys.executable,
            '-m',
            'layerwise_adapter.experiments.cli',
            'run',
            'H9',
            '--profile',
            'smoke',
            '-p',
            'sleep=60',
            '--out',
            str(out),
            '--no-progress',
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    t0 = time.time()
    while not hidden(tmp_path) and time.time() - t0 < 60: time.sleep(0.2)
    p.kill(); p.wait()
    left = hidden(tmp_path)
    assert left and left[0].startswith('.rep.'), left           # what kill -9 leaves behind
    r = run_h9(out)
    assert r.returncode == 0, r.stderr
    assert hidden(tmp_path) == [] and (out/'report.md').exists()

def interrupt(h9, tmp_path, sig, group):
    "Start a long H9 run over a good report; once the notebook runs, send `sig` to lwa (or to its process group)."
    out = good_report(tmp_path/'rep')
    p = subprocess.Popen(
        [
            sys.executable,
            '-m',
            'layerwise_adapter.experiments.cli',
            'run',
            'H9',
            '--profile',
            'smoke',
            '-p',
            'sleep=60',
            '--out',
            str(out),
            '--no-progress',
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # as from a terminal: a suite started in the background inherits SIGINT ignored
    t0 = time.time()
    started = lambda: any((d/'H9.ipynb').exists() for d in tmp_path.iterdir() if d.name.startswith('.rep.'))
    while time.time() - t0 < 60 and not started():
        time.sleep(0.2)
    time.sleep(3)                                                # the kernel is running the notebook's sleep
    (os.killpg if group else os.kill)(p.pid, sig)
    _, err = p.communicate(timeout=60)
    return p.returncode, [l for l in err.splitlines() if l.strip() and '[IPKernelApp]' not in l], out, time.time() - t0

@pytest.mark.parametrize('group', [False, True], ids=['lwa', 'process group'])
def test_ctrl_c_ends_in_one_line_and_keeps_the_report(h9, tmp_path, group):
    rc, err, out, secs = interrupt(h9, tmp_path, signal.SIGINT, group)
    assert rc == 130 and len(err) == 1 and err[0].startswith('lwa: interrupted'), (rc, err)
    assert secs < 40                                             # it stopped, it did not sleep on
    assert (out/'report.md').read_text() == '# H9 (smoke profile): a demo?\n\nVerdict: supported\n'
    assert hidden(tmp_path) == []

def test_sigterm_ends_in_one_line_and_keeps_the_report(h9, tmp_path):
    rc, err, out, _ = interrupt(h9, tmp_path, signal.SIGTERM, False)
    assert rc == 143 and len(err) == 1 and err[0].startswith('lwa: terminated'), (rc, err)
    assert (out/'report.md').read_text().endswith('Verdict: supported\n') and hidden(tmp_path) == []

def test_failing_cell_is_shown_in_one_line(h9, tmp_path):
    out = good_report(tmp_path/'rep')
    r = run_h9(out, '-p', 'fail=true')
    assert r.returncode == 1
    assert stderr_lines(r) == [
        f"lwa: H9 failed: In [3]: AssertionError: asked to fail (report: {out/'report.md'})"
    ], r.stderr
    assert (out/'report.md').read_text().startswith('# H9 (smoke profile): run FAILED')
    assert json.loads((out/'status.json').read_text())['error'] == 'In [3]: AssertionError: asked to fail'

def test_runs_use_this_environment_kernel(h9, tmp_path):
    "Another environment's kernels (python3, layerwise-adapter) come first on the Jupyter path: this Python runs."
    kd = tmp_path/'jupyter'
    for name in ('python3', 'layerwise-adapter'):
        (kd/'kernels'/name).mkdir(parents=True)
        (kd / 'kernels' / name / 'kernel.json').write_text(
            json.dumps(
                dict(
                    argv=['/nonexistent/python', '-m', 'ipykernel_launcher', '-f', '{connection_file}'],
                    display_name='another environment',
                    language='python',
                )
            )
        )
    out = tmp_path/'rep'
    r = run_h9(out, env={'JUPYTER_PATH': str(kd)})
    assert r.returncode == 0, r.stderr[-2000:]
    # the report writes this environment's prefix (and only this one) as $VIRTUAL_ENV: no machine path in a report
    assert 'prefix=$VIRTUAL_ENV\n' in (out/'report.md').read_text()

def test_provenance_is_recorded(h9, tmp_path, data_dir):
    repo = h9.parent.parent
    def git(*a): subprocess.run(['git', '-C', str(repo), *a], check=True, capture_output=True)
    git('init', '-q'); git('add', '-A'); git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'h9')
    out = repo/'reports'/'smoke'/'H9'
    r = lwa('run', 'H9', '--profile', 'smoke', '--no-progress', '-p', f'data_dir={data_dir}')
    assert r.returncode == 0, r.stderr
    prov = json.loads((out/'status.json').read_text())['provenance']
    head = subprocess.run(['git', '-C', str(repo), 'rev-parse', 'HEAD'], capture_output=True, text=True).stdout.strip()
    assert prov['git'] == dict(commit=head, dirty=False, changed=[])
    md5 = {Path(k).name: v for k, v in prov['data_files'].items()}
    assert md5 == {'u.data': '6e47046882bad158b0efbb84cd5cb987', 'u.item': 'c9e7f390115d79079537301d5204f3f7'}
    (entry, sha), = prov['cache_entries'].items()   # the parsed data set it read from the cache, with its digest
    assert entry.startswith('data/parsed/ml-100k-') and entry.endswith('.npz') and len(sha) == 64, entry
    assert prov['library_version'] and '## Provenance (added by lwa run)' in (out/'report.md').read_text()
    mask = os.umask(0); os.umask(mask)   # every file of the reports, the index README.md included, has one mode
    modes = {str(f.relative_to(repo)): oct(f.stat().st_mode & 0o777) for f in (repo/'reports'/'smoke').rglob('*')
             if f.is_file()}
    assert 'reports/smoke/README.md' in modes and set(modes.values()) == {oct(0o666 & ~mask)}, modes
    (h9/'profiles'/'H9.yaml').write_text((h9/'profiles'/'H9.yaml').read_text() + '# edited\n')
    assert lwa('run', 'H9', '--profile', 'smoke', '--no-progress').returncode == 0
    prov = json.loads((out/'status.json').read_text())['provenance']
    assert (
        prov['git']['dirty'] is True
        and prov['git']['changed'] == ['nbs/hypotheses/profiles/H9.yaml']
        and prov['data_files'] == {}
    )

@pytest.mark.parametrize('hyp,param,says', [
    ('H1', 'n_random=-1', 'n_random=-1 (command line) must be >= 20'),
    ('H1', 'n_random=5', 'n_random=5 (command line) must be >= 20'),
    ('H1', 'teacher=huge', "teacher='huge' (command line) must be one of smoke"),
    ('H2', 'teacher_key=abc', "teacher_key='abc' (command line) must be a match of"),
    ('H2', 'budgets=2.0', "budgets='2.0' (command line) has item '2.0', but each item must be > 0 and < 1"),
    ('H2', 'methods=fisher,random', "has item 'fisher', but each item must be one of fisher_empirical"),
    ('H2', 'budgets=0.25,,0.5', "budgets='0.25,,0.5' (command line) has an empty item"),
    ('H2', 'budgets=0.5,0.5', "budgets='0.5,0.5' (command line) repeats item '0.5'"),
    ('H1', 'teacher_key=0123456789ab', "teacher_key='0123456789ab': the cache"),
    ('H1', 'out_dir=/tmp/x', 'out_dir is set by lwa run')])
def test_bad_values_are_refused_before_running(tmp_path, hyp, param, says):
    out = tmp_path/hyp; out.mkdir(); (out/'report.md').write_text('Verdict: supported\n')
    (out/'status.json').write_text(json.dumps(dict(hypothesis=hyp, profile='smoke', ok=True)))
    t0 = time.time()
    r = lwa('run', hyp, '--profile', 'smoke', '-p', param, '--out', str(out), '--no-progress')
    secs = time.time() - t0
    assert r.returncode == 2 and says in r.stderr and 'Traceback' not in r.stderr, r.stderr
    assert secs < 5, secs
    assert (out/'report.md').read_text() == 'Verdict: supported\n'

def test_every_parameter_has_a_constraint():
    from layerwise_adapter.experiments.params import available_hypotheses, notebook_parameters, parameter_constraints
    for name, nb in available_hypotheses().items():
        cons = parameter_constraints(nb)
        missing = sorted(k for k in notebook_parameters(nb) if not cons.get(k))
        assert not missing, f"{name}: parameters without a constraint in its config: {missing}"

def test_smoke_run_into_a_committed_report_is_refused(tmp_path):
    "`--out reports/H1` with the smoke profile: the quick report there is another profile's, so nothing is touched."
    repo = repo_copy(tmp_path/'repo')
    r = lwa('run', 'H1', '--profile', 'smoke', '--out', 'reports/H1', '--no-progress', cwd=repo)
    assert r.returncode == 2 and 'report of the quick profile' in r.stderr, r.stderr
    git = subprocess.run(['git', '-C', str(repo), 'status', '--porcelain', '--untracked-files=all'],
                         capture_output=True, text=True, check=True)
    assert git.stdout == '', git.stdout

def test_broken_teacher_profiles_are_refused_before_running(tmp_path):
    "A YAML error in teacher.yaml stops the run before it starts, with the line; the old report stays."
    repo = repo_copy(tmp_path/'repo')
    f = repo/'nbs'/'hypotheses'/'profiles'/'teacher.yaml'
    f.write_text(f.read_text().replace('smoke:\n', 'smoke:\n  model: {backbone: [tiny-llama\n', 1))
    out = tmp_path/'H1'; out.mkdir(); (out/'report.md').write_text('Verdict: supported\n')
    (out/'status.json').write_text(json.dumps(dict(hypothesis='H1', profile='smoke', ok=True)))
    r = lwa('run', 'H1', '--profile', 'smoke', '--out', str(out), '--no-progress', cwd=repo)
    assert r.returncode == 2 and 'teacher.yaml, line 9, column 3: not valid YAML' in r.stderr, r.stderr
    assert (out/'report.md').read_text() == 'Verdict: supported\n' and sorted(p.name for p in out.iterdir()) == [
        'report.md', 'status.json']

def test_report_refusals_before_running(tmp_path):
    "An unsafe cache folder, a committed report whose status.json was edited, another hypothesis's report: exit 2."
    repo = repo_copy(tmp_path/'repo')
    def tracked():
        return subprocess.run(['git', '-C', str(repo), 'status', '--porcelain', '--untracked-files=all'],
                              capture_output=True, text=True, check=True).stdout
    cache = tmp_path/'open-cache'; cache.mkdir(); cache.chmod(0o777)
    r = lwa('run', 'H1', '--profile', 'smoke', '--no-progress', cwd=repo, env={'LAYERWISE_ADAPTER_CACHE': str(cache)},
            timeout=120)
    assert r.returncode == 2 and 'can be written by other users (mode 777)' in r.stderr, r.stderr
    st = repo/'reports'/'H1'/'status.json'
    st.write_text(st.read_text().replace('"profile": "quick"', '"profile": "smoke"'))
    r = lwa('run', 'H1', '--profile', 'smoke', '--out', 'reports/H1', '--no-progress', cwd=repo, timeout=120)
    assert r.returncode == 2 and 'holds a report the repository commits' in r.stderr, r.stderr
    subprocess.run(['git', '-C', str(repo), 'checkout', '--', '.'], check=True)
    r = lwa('run', 'H1', '--out', 'reports/H2', '--no-progress', cwd=repo, timeout=120)
    assert r.returncode == 2 and 'holds a report of H2' in r.stderr, r.stderr
    assert tracked() == ''

def test_the_kernel_reads_the_profiles_that_were_checked(h9, tmp_path, monkeypatch):
    "A report folder inside another checkout: the notebook still finds the hypotheses (and profiles) lwa checked."
    repo = h9.parent.parent
    decoy = tmp_path/'decoy'/'nbs'/'hypotheses'; decoy.mkdir(parents=True)
    (decoy/'H9_demo.ipynb').write_text((h9/'H9_demo.ipynb').read_text())
    monkeypatch.delenv('LAYERWISE_ADAPTER_HYPOTHESES')
    out = tmp_path/'decoy'/'reports'/'H9'
    r = lwa('run', 'H9', '--profile', 'smoke', '--no-progress', '--out', str(out), cwd=repo)
    assert r.returncode == 0, r.stderr
    assert 'hypotheses=./nbs/hypotheses\n' in (out/'report.md').read_text(), (out/'report.md').read_text()
