"""Layer importance at the price of a training pass: Fisher trace, Fisher diagonal and forward-only scores, timed.

    python benchmarks/fisher_speed.py --data-dir ../shared/data [--model smollm2-135m] [--lengths 20,50] [--json]
    python benchmarks/fisher_speed.py --quick      # a check: a tiny random Llama, fewer batches and repeats

For each number of positions, on the same ML-100K training windows in the same batches, with a recommender over the
backbone (`SeqRecommender`, `tune='full'`, no item text; only the backbone layer parameters require gradients):

* train          - forward + backward of the mean next-item loss (`sequence_loss`): the unit of every ratio;
* fisher_trace   - `fisher_trace(kind='empirical')` over the layer parameters (ghost norms), default check;
* fisher_diagonal - `fisher_diagonal(kind='empirical')` over the same parameters (per-example gradients), default check;
* forward_only   - `activation_scores` (Minitron-style activation norms of layers, heads and MLP channels, no backward);
* with `--checks`, also fisher_trace with `check=False` and with `check='batch'` (the whole first batch checked);
* with `--naive`, also `fisher_diagonal_loop` (one autograd call per example, timed on `--naive-examples` examples and
  scaled to all).

The variants run interleaved (train, trace, diagonal, forward, train, ...) after one warm-up pass of each, so that other
load on the machine hits them alike; times are medians over the repeats and every ratio is the median time of a variant
over the median time of the train pass measured in the same run. `--json` prints one JSON object a line, one per number
of positions: `positions`, `train_s`, `fisher_trace_ratio`, `fisher_diagonal_ratio`, `forward_only_ratio` (and the
ratios of the optional variants), and `trace_vs_loop_tensor_rel` / `trace_vs_loop_layer_rel`: the largest relative
difference of `fisher_trace` from `fisher_diagonal_loop` summed, per tensor and per layer, on `--naive-examples`
windows; the table then goes to stderr.
"""
import argparse, json, os, platform, statistics, sys, time

BASE = ('train', 'fisher_trace', 'fisher_diagonal', 'forward_only')

def _build(args, positions:int):
    "The recommender (layer parameters trainable, the rest frozen) and the batches of full windows."
    import torch
    from torch import nn
    from layerwise_adapter.data.load import load_dataset
    from layerwise_adapter.models.recommender import RecConfig, SeqRecommender, training_windows
    split = load_dataset('ml-100k', args.data_dir).leave_one_out()
    wins = [w for w in training_windows(split.train_sequences(), positions) if len(w) == positions + 1]
    n = args.batch_size*args.n_batches
    if len(wins) < n: raise SystemExit(f'only {len(wins)} windows of {positions + 1} items, need {n}')
    wins = wins[:n]
    cfg = RecConfig(backbone=args.model, tune='full', use_text=False, dropout=0.0, max_len=positions)
    torch.manual_seed(0)
    rec = SeqRecommender(cfg, split.n_items).to(args.device)
    nn.init.normal_(rec.out_emb.weight, std=0.02)   # zero-initialised output vectors would make every gradient zero
    for name, p in rec.named_parameters(): p.requires_grad_('.layers.' in name)
    rec.eval()
    return rec, [wins[i:i+args.batch_size] for i in range(0, n, args.batch_size)]

def _seq_forward(model, windows):
    "Logits [B, T, n_items] of the next item at every position and targets [B, T] (-100 at padding)."
    ids, mask = model.pad([w[:-1] for w in windows])
    tgt, tmask = model.pad([w[1:] for w in windows])
    h = model.encode(ids, mask).last_hidden_state
    logits = model.logits(h)
    return logits, tgt.masked_fill(tmask == 0, -100).to(logits.device)

def _variants(args, rec, batches)->dict:
    "One callable per variant, each running once over all batches; and the scale of each time (naive: to all)."
    from layerwise_adapter.models.recommender import sequence_loss
    from layerwise_adapter.importance.fisher import fisher_diagonal, fisher_diagonal_loop, fisher_trace
    from layerwise_adapter.importance.gradients import activation_scores
    in_layers = lambda n: '.layers.' in n
    def train():
        for b in batches:
            sequence_loss(rec, b).backward()
            rec.zero_grad(set_to_none=True)
    trace = lambda check=True: fisher_trace(rec, batches, _seq_forward, params=in_layers, progress=False, check=check)
    runs = dict(train=train, fisher_trace=trace,
                fisher_diagonal=lambda: fisher_diagonal(rec, batches, _seq_forward, params=in_layers, progress=False),
                forward_only=lambda: activation_scores(rec, [w[:-1] for b in batches for w in b], len(batches[0])))
    if args.checks:
        runs.update(fisher_trace_nocheck=lambda: trace(False), fisher_trace_batchcheck=lambda: trace('batch'))
    n_ex = sum(len(b) for b in batches)
    subset = [w for b in batches for w in b][:args.naive_examples]
    if args.naive: runs['naive'] = lambda: fisher_diagonal_loop(rec, [subset], _seq_forward, params=in_layers)
    return runs, dict(naive=n_ex/len(subset))

def _agreement(args, rec, batches)->dict:
    """Largest relative difference between `fisher_trace` and the per-example loop's diagonal summed, per parameter
    tensor and per layer, on the first `--naive-examples` windows (the same model, in its own dtype)."""
    from layerwise_adapter.importance.fisher import fisher_diagonal_loop, fisher_trace, layer_of
    in_layers, subset = (lambda n: '.layers.' in n), [w for b in batches for w in b][:args.naive_examples]
    tr = {k: float(v) for k, v in fisher_trace(rec, [subset], _seq_forward, params=in_layers, progress=False).items()}
    loop = {k: float(v.double().sum()) for k, v in fisher_diagonal_loop(rec, [subset], _seq_forward,
                                                                         params=in_layers).items()}
    L = rec.backbone.n_layers
    per_layer = [(sum(v for k, v in tr.items() if layer_of(k, L) == l), sum(v for k, v in loop.items()
                  if layer_of(k, L) == l)) for l in range(L)]
    rel = lambda a, b: abs(a - b)/max(abs(b), 1e-300)
    return dict(trace_vs_loop_tensor_rel=max(rel(tr[k], loop[k]) for k in loop),
                trace_vs_loop_layer_rel=max(rel(a, b) for a, b in per_layer), loop_examples=len(subset))

def _time(args, positions:int)->dict:
    "Median seconds of every variant at `positions` positions, interleaved, after a warm-up pass of each."
    import torch
    rec, batches = _build(args, positions)
    runs, scale = _variants(args, rec, batches)
    sync = torch.cuda.synchronize if args.device == 'cuda' else (lambda: None)
    for v in runs: runs[v](); sync()
    times = {v: [] for v in runs}
    for r in range(args.repeats):
        for v in runs:
            t0 = time.perf_counter(); runs[v](); sync()
            times[v].append((time.perf_counter() - t0)*scale.get(v, 1.0))
        print(f'  {positions} positions: repeat {r + 1}/{args.repeats} done', file=sys.stderr, flush=True)
    med = {v: statistics.median(t) for v, t in times.items()}
    return dict(positions=positions, train_s=med['train'], n_examples=sum(len(b) for b in batches),
                **{f'{v}_ratio': med[v]/med['train'] for v in runs if v != 'train'}, times=times,
                **_agreement(args, rec, batches))

def _print_table(args, results:list, file=sys.stdout):
    "The human-readable report: setup, then one row per number of positions, variants side by side."
    import torch
    print(f'\nLayer importance against a training pass: {args.model}, {results[0]["n_examples"]} ML-100K windows in '
          f'batches of {args.batch_size}, {args.repeats} timed passes of each variant, interleaved, after a warm-up '
          f'(medians); {args.device}, {args.threads} threads, torch {torch.__version__}, '
          f'{platform.processor() or platform.machine()}, load average '
          f'{", ".join(f"{x:.1f}" for x in os.getloadavg())}', file=file)
    ratios = [k for k in results[0] if k.endswith('_ratio')]
    head = f'{"positions":>9} {"train_s":>8} ' + ' '.join(f'{k[:-6]:>{max(12, len(k) - 6)}}' for k in ratios)
    print('ratio = median seconds of the variant / median seconds of the train pass\n\n' + head, file=file)
    for r in results:
        print(f'{r["positions"]:>9} {r["train_s"]:>8.2f} '
              + ' '.join(f'{r[k]:>{max(12, len(k) - 6)}.2f}' for k in ratios), file=file)
    for r in results:
        print(f'{r["positions"]} positions: fisher_trace against the per-example loop on {r["loop_examples"]} windows, '
              f'largest relative difference per tensor {r["trace_vs_loop_tensor_rel"]:.1e}, '
              f'per layer {r["trace_vs_loop_layer_rel"]:.1e}', file=file)

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data-dir', default=os.environ.get('LAYERWISE_ADAPTER_DATA'), help='folder with ml-100k')
    ap.add_argument('--model', default=None,
                    help='backbone, an offline short name (default smollm2-135m; with --quick tiny-llama)')
    ap.add_argument('--lengths', default='20,50', help='comma-separated positions per window, each timed')
    ap.add_argument('--batch-size', type=int, default=16, help='windows per batch')
    ap.add_argument('--n-batches', type=int, default=None, help='batches per pass (default 4, quick 2)')
    ap.add_argument('--repeats', type=int, default=None, help='timed passes of each variant (default 5, quick 3)')
    ap.add_argument('--quick', action='store_true', help='a check: tiny-llama unless --model, fewer batches, repeats')
    ap.add_argument('--threads', type=int, default=os.cpu_count(), help='torch threads')
    ap.add_argument('--device', default='cpu', help="'cpu' or 'cuda'")
    ap.add_argument('--checks', action='store_true', help="also the trace with check=False and check='batch'")
    ap.add_argument('--naive', action='store_true', help='also the per-example loop (fisher_diagonal_loop)')
    ap.add_argument('--naive-examples', type=int, default=8, help='examples the per-example loop is timed on')
    ap.add_argument('--json', action='store_true', help='one JSON object a line, per number of positions')
    args = ap.parse_args()
    args.model = args.model or ('tiny-llama' if args.quick else 'smollm2-135m')
    args.n_batches = args.n_batches or (2 if args.quick else 4)
    args.repeats = args.repeats or (3 if args.quick else 5)
    import torch
    torch.set_num_threads(args.threads)
    results = []
    for x in args.lengths.split(','):   # each length's JSON line as soon as it is measured
        results.append(_time(args, int(x)))
        if args.json: print(json.dumps({k: v for k, v in results[-1].items() if k not in ('times', 'n_examples')}),
                            flush=True)
    if args.json:   # the JSON lines on stdout, the table on stderr
        _print_table(args, results, sys.stderr)
    else: _print_table(args, results)

if __name__ == '__main__': main()
