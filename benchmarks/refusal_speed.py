"""Wall time of each refusal `lwa run` makes before a run starts (issue 23: under 1.5 s on a warm machine).

Every case runs `python -m layerwise_adapter.experiments.cli run ...` in a subprocess, as a user would, and must exit 2
without touching any report; each is timed `--repeat` times after one warm-up call, and the median and the slowest
are printed. Run it from the repository root: `python benchmarks/refusal_speed.py`.
"""
import argparse, os, resource, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cases(tmp:Path)->dict:
    "name -> (arguments of `lwa`, extra environment, text the refusal must contain)."
    hyp = tmp/'repo'/'nbs'/'hypotheses'
    shutil.copytree(ROOT/'nbs'/'hypotheses', hyp)
    t = hyp/'profiles'/'teacher.yaml'
    t.write_text(t.read_text().replace('smoke:\n', 'smoke:\n  model: {backbone: [tiny-llama\n', 1))
    open_cache = tmp/'open-cache'; open_cache.mkdir(); open_cache.chmod(0o777)
    return {
        'smoke into the committed reports/H1': (['H1', '--profile', 'smoke', '--out', 'reports/H1'], {},
                                                'report of the quick profile'),
        'broken teacher.yaml': (['H1', '--profile', 'smoke'], {'LAYERWISE_ADAPTER_HYPOTHESES': str(hyp)},
                                'not valid YAML'),
        'unknown teacher_key': (['H1', '--profile', 'smoke', '-p', 'teacher_key=0123456789ab'], {},
                                'holds no trained model of that key'),
        'cache folder mode 0777': (['H1', '--profile', 'smoke'], {'LAYERWISE_ADAPTER_CACHE': str(open_cache)},
                                   'can be written by other users'),
        'budgets with an empty item': (['H2', '--profile', 'smoke', '-p', 'budgets=0.25,,0.5'], {}, 'empty item'),
        'budgets with a repeated item': (['H2', '--profile', 'smoke', '-p', 'budgets=0.5,0.5'], {}, 'repeats item'),
    }


def time_refusal(args:list, env:dict, says:str)->tuple[float, float]:
    """(wall, CPU) seconds one refused `lwa run` takes; AssertionError unless it exits 2 with `says` in its message.
    The CPU time (user + system of the child) does not grow when other jobs share the cores; the wall time does."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, '-m', 'layerwise_adapter.experiments.cli', 'run', *args, '--no-progress'],
                       capture_output=True, text=True, cwd=ROOT, env={**os.environ, **env}, timeout=120)
    secs = time.perf_counter() - t0
    ru2 = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert r.returncode == 2 and says in r.stderr, (args, r.returncode, r.stderr[-800:])
    return secs, ru2.ru_utime - ru.ru_utime + ru2.ru_stime - ru.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--repeat', type=int, default=5, help='timed calls per case (after one warm-up)')
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix='lwa-refusals-') as d:
        print(f"{'refusal':40s} {'wall median s':>13s} {'wall max s':>10s} {'CPU median s':>12s}")
        for name, (args, env, says) in cases(Path(d)).items():
            time_refusal(args, env, says)   # warm-up: files in the page cache, bytecode compiled
            t = [time_refusal(args, env, says) for _ in range(a.repeat)]
            wall, cpu = [w for w, _ in t], [c for _, c in t]
            print(f"{name:40s} {statistics.median(wall):13.2f} {max(wall):10.2f} {statistics.median(cpu):12.2f}",
                  flush=True)
        print(f"(load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores)")


if __name__ == '__main__':
    main()
