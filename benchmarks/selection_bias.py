"""How much of a tuned baseline's validation score is the winner's curse: choose its grid point on one half of the
validation users, score it on the other half, against the best point chosen on that other half itself.

    python benchmarks/selection_bias.py --profile quick --baseline als --data-dir ../shared/data     # ~1 min (ALS)

The teacher gate compares the teacher (one configuration) with baselines chosen from their grids on the same
validation users, so a baseline's gate score is optimistic by about the gap this prints (split halves, repeated).
"""
import argparse, time
import numpy as np, pandas as pd
from layerwise_adapter.models.teacher import load_teacher_spec, _grid
from layerwise_adapter.models.baselines import fit_baseline
from layerwise_adapter.data.load import load_dataset
from layerwise_adapter.stats.metrics import evaluate

def grid_scores(spec, split, name:str, metric:str)->pd.DataFrame:
    "Per-user validation `metric` of every grid point of baseline `name` (columns: grid points)."
    V, cols = split.eval_data('valid'), {}
    for pt in _grid(spec.baselines[name]):
        seed = dict(seed=spec.model.seed) if name == 'als' else {}
        df = evaluate(fit_baseline(name, split, **seed, **pt), V, split.n_items, n_negs=(), progress=False)
        cols[', '.join(f'{k}={v}' for k, v in sorted(pt.items()))] = df.set_index('user')[metric]
    return pd.DataFrame(cols)

def split_half_gap(W:pd.DataFrame, repeats:int=200, seed:int=0)->dict:
    "Chosen on half A and scored on half B, against the best point on B; means over `repeats` random halves."
    rng, users, out = np.random.default_rng(seed), W.index.values, []
    for _ in range(repeats):
        a = rng.permutation(users); A, B = a[:len(a)//2], a[len(a)//2:]
        out.append((W.loc[B, W.loc[A].mean().idxmax()].mean(), W.loc[B].mean().max()))
    o = np.array(out)
    return dict(honest=float(o[:, 0].mean()), optimistic=float(o[:, 1].mean()), gap=float((o[:, 1] - o[:, 0]).mean()))

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--profile', default='quick')
    ap.add_argument('--baseline', default='als', choices=['als', 'itemknn'])
    ap.add_argument('--tie-seed', type=int, default=0); ap.add_argument('--data-dir', default=None)
    ap.add_argument('--metric', default='NDCG@10'); ap.add_argument('--repeats', type=int, default=200)
    a = ap.parse_args()
    spec = load_teacher_spec(a.profile); ds = load_dataset(spec.dataset, a.data_dir)
    split = ds.leave_one_out(spec.tie_break, a.tie_seed)
    t0 = time.time(); W = grid_scores(spec, split, a.baseline, a.metric)
    print(f'{a.baseline}: {W.shape[1]} grid points fitted and scored in {time.time() - t0:.0f} s; best on all '
          f'{len(W)} validation users: {W.mean().max():.4f} ({W.mean().idxmax()})')
    r = split_half_gap(W, a.repeats)
    print(f"chosen on one half, scored on the other: {r['honest']:.4f}; best on that half itself: "
          f"{r['optimistic']:.4f}; winner's curse {r['gap']:.4f} {a.metric} ({a.repeats} random halves)")
