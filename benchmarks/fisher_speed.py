"""Speed and memory of `fisher.fisher_diagonal` against a plain training step and a naive per-example loop.

    python benchmarks/fisher_speed.py --data-dir ../shared/data [--quick] [--lengths 20,50]

For each model (a tiny random Llama and SmolLM2-135M, both inside `SeqRecommender` with `tune='full'`, no item text)
and the same ML-100K training windows in the same batches:

* train  - forward + backward of the mean next-item loss (`sequence_loss`), gradients of the layer parameters;
* fisher - `fisher_diagonal(kind='empirical')` over the backbone layer parameters (batched per-example gradients),
  including its one-off check of the first batch against autograd; fisher_nocheck - the same with `check=False`;
* naive  - `fisher_diagonal_loop`, one forward + autograd call per example, squared and summed (timed on a subset,
  scaled to all examples).

Only the backbone layer parameters require gradients in all of them. Times are medians over repeated passes after a
warm-up pass, the variants interleaved in one process so that other load on the machine affects them alike. Memory is
measured in a separate process per variant: the peak resident set size (VmHWM) over two passes, reset after loading
the model and data, and that peak minus the resident size after loading ('extra'); on CUDA, torch's peak allocated
memory likewise. Ratios are computed from times measured in this one run on this machine.
"""
import argparse, json, os, platform, statistics, subprocess, sys, time

def _status_kb(key:str)->int|None:
    try:
        for line in open('/proc/self/status'):
            if line.startswith(key + ':'): return int(line.split()[1])
    except OSError: pass
    return None

def _reset_peak()->bool:
    "Reset this process's peak RSS (Linux >= 4.0: write 5 to /proc/self/clear_refs)."
    try:
        with open('/proc/self/clear_refs', 'w') as f: f.write('5')
        return True
    except OSError: return False

def _peak_mb()->float:
    hwm = _status_kb('VmHWM')
    if hwm is not None: return hwm/1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024

def _build(args):
    import torch
    from torch import nn
    from layerwise_adapter.data.load import load_dataset
    from layerwise_adapter.models.recommender import RecConfig, SeqRecommender, training_windows
    split = load_dataset('ml-100k', args.data_dir).leave_one_out()
    wins = [w for w in training_windows(split.train_sequences(), args.max_len) if len(w) == args.max_len + 1]
    n = args.batch_size*args.n_batches
    if len(wins) < n: raise SystemExit(f'only {len(wins)} full windows, need {n}')
    wins = wins[:n]
    cfg = RecConfig(backbone=args.model, tune='full', use_text=False, dropout=0.0, max_len=args.max_len)
    torch.manual_seed(0)
    rec = SeqRecommender(cfg, split.n_items).to(args.device)
    nn.init.normal_(rec.out_emb.weight, std=0.02)   # zero-initialised output vectors would make every gradient zero
    for name, p in rec.named_parameters(): p.requires_grad_('.layers.' in name)
    return rec, [wins[i:i+args.batch_size] for i in range(0, n, args.batch_size)]

def _seq_forward(model, windows):
    "Logits [B, T, n_items] of the next item at every position and targets [B, T] (-100 at padding)."
    ids, mask = model.pad([w[:-1] for w in windows])
    tgt, tmask = model.pad([w[1:] for w in windows])
    h = model.encode(ids, mask).last_hidden_state
    logits = model.logits(h)
    return logits, tgt.masked_fill(tmask == 0, -100).to(logits.device)

VARIANTS = ('train', 'fisher', 'fisher_nocheck', 'naive')

def _passes(args):
    "The model, the number of examples, and one callable per variant that runs it once over all batches."
    import torch
    from layerwise_adapter.models.recommender import sequence_loss
    from layerwise_adapter.importance.fisher import fisher_diagonal, fisher_diagonal_loop
    torch.set_num_threads(args.threads)
    rec, batches = _build(args)
    rec.eval()
    in_layers = lambda n: '.layers.' in n
    subset = [w for b in batches for w in b][:args.naive_examples]
    def train():
        for b in batches:
            sequence_loss(rec, b).backward()
            rec.zero_grad(set_to_none=True)
    def fisher(check=True): fisher_diagonal(rec, batches, _seq_forward, params=in_layers, progress=False, check=check)
    def naive(): fisher_diagonal_loop(rec, [subset], _seq_forward, params=in_layers)
    return rec, sum(len(b) for b in batches), dict(train=train, fisher=fisher, fisher_nocheck=lambda: fisher(False), naive=naive)

def _time_worker(args):
    """Time all variants in one process, interleaved (train, fisher, ..., train, fisher, ...), so that load from other
    processes hits them alike; print the per-variant times."""
    import torch
    _, n_ex, runs = _passes(args)
    sync = torch.cuda.synchronize if args.device == 'cuda' else (lambda: None)
    scale = dict(naive=n_ex/min(args.naive_examples, n_ex))
    for v in VARIANTS: runs[v](); sync()              # warm-up
    times = {v: [] for v in VARIANTS}
    for _ in range(args.repeats):
        for v in VARIANTS:
            t0 = time.perf_counter(); runs[v](); sync(); times[v].append((time.perf_counter() - t0)*scale.get(v, 1.0))
    print('RESULT ' + json.dumps(dict(times=times, n_examples=n_ex)))

def _memory_worker(args):
    "Peak memory of one variant: one warm-up and one more pass, after resetting the peak RSS once the model is loaded."
    import torch
    _, _, runs = _passes(args)
    base = (_status_kb('VmRSS') or 0)/1024
    reset = _reset_peak()
    out = dict(base_mb=base, peak_reset=reset)
    if args.device == 'cuda': torch.cuda.reset_peak_memory_stats(); out['cuda_base_mb'] = torch.cuda.memory_allocated()/2**20
    for _ in range(2): runs[args.variant]()
    out['peak_mb'] = _peak_mb()
    if args.device == 'cuda': out['cuda_peak_mb'] = torch.cuda.max_memory_allocated()/2**20
    print('RESULT ' + json.dumps(out))

def _run_worker(args, **kw)->dict:
    cmd = [sys.executable, __file__, '--worker'] + [f'--{k}={v}' for k, v in kw.items()] + \
          [f'--{k.replace("_", "-")}={v}' for k, v in vars(args).items()
           if k in ('data_dir', 'batch_size', 'max_len', 'n_batches', 'repeats', 'naive_examples', 'threads', 'device') and v is not None]
    r = subprocess.run(cmd, capture_output=True, text=True)
    res = [l for l in r.stdout.splitlines() if l.startswith('RESULT ')]
    if r.returncode or not res: raise SystemExit(f'{kw} failed:\n{r.stderr[-3000:]}')
    return json.loads(res[-1][7:])

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data-dir', default=os.environ.get('LAYERWISE_ADAPTER_DATA'), help='folder with ml-100k')
    ap.add_argument('--quick', action='store_true', help='fewer batches and repeats')
    ap.add_argument('--models', default='tiny-llama,smollm2-135m', help='comma-separated backbones')
    ap.add_argument('--batch-size', type=int, default=16, help='windows per batch')
    ap.add_argument('--max-len', type=int, default=20, help=argparse.SUPPRESS)
    ap.add_argument('--lengths', default='20', help='comma-separated positions per window, each timed separately (e.g. 20,50)')
    ap.add_argument('--n-batches', type=int, default=None, help='batches per pass (default 4, quick 2)')
    ap.add_argument('--repeats', type=int, default=None, help='timed passes (default 5, quick 3)')
    ap.add_argument('--naive-examples', type=int, default=None, help='examples timed by the naive loop (default 16, quick 8)')
    ap.add_argument('--threads', type=int, default=os.cpu_count(), help='torch threads')
    ap.add_argument('--device', default='cpu', help="'cpu' or 'cuda'")
    ap.add_argument('--worker', action='store_true', help=argparse.SUPPRESS)
    ap.add_argument('--model', help=argparse.SUPPRESS)
    ap.add_argument('--variant', help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.n_batches = args.n_batches or (2 if args.quick else 4)
    args.repeats = args.repeats or (3 if args.quick else 5)
    args.naive_examples = args.naive_examples or (8 if args.quick else 16)
    if args.worker: return (_time_worker if args.variant == 'time' else _memory_worker)(args)

    import pandas as pd, torch
    rows = []
    for model in args.models.split(','):
        for length in [int(x) for x in args.lengths.split(',')]:
            args.max_len, name = length, f'{model} x{length}'
            t0 = time.time()
            res = _run_worker(args, model=model, variant='time')
            print(f'  {name}: timed in {time.time()-t0:.0f} s', flush=True)
            for v in VARIANTS:
                t0 = time.time()
                mem = _run_worker(args, model=model, variant=v)
                rows.append(dict(model=name, variant=v, median_s=statistics.median(res['times'][v]), times=res['times'][v],
                                 n_examples=res['n_examples'], **mem))
                print(f'  {name} {v}: memory in {time.time()-t0:.0f} s', flush=True)
    df = pd.DataFrame(rows)
    df['timed_examples'] = [min(args.naive_examples, n) if v == 'naive' else n for v, n in zip(df.variant, df.n_examples)]
    df['ms_per_example'] = 1000*df.median_s/df.n_examples
    df['ratio_vs_train'] = df.median_s / df.model.map(df[df.variant == 'train'].set_index('model').median_s)
    df['extra_mb'] = df.peak_mb - df.base_mb
    cols = ['model', 'variant', 'median_s', 'ms_per_example', 'ratio_vs_train', 'peak_mb', 'extra_mb', 'timed_examples']
    if 'cuda_peak_mb' in df: df['cuda_extra_mb'] = df.cuda_peak_mb - df.cuda_base_mb; cols += ['cuda_peak_mb', 'cuda_extra_mb']
    print(f'\nFisher speed: {rows[0]["n_examples"]} ML-100K windows (model xN: N positions each), batch {args.batch_size}, '
          f'{args.repeats} timed passes of each variant, interleaved, after a warm-up (median); {args.device}, '
          f'{args.threads} threads, torch {torch.__version__}, {platform.processor() or platform.machine()}, load average '
          f'{", ".join(f"{x:.1f}" for x in os.getloadavg())}')
    print('Fisher and gradients over the backbone layer parameters (tune=full, no item text).')
    print(f'naive = one autograd call per example, timed on {args.naive_examples} examples and scaled to all.')
    print('peak_mb = peak RSS of a separate process running the variant twice (VmHWM, reset after loading'
          + ('' if all(r['peak_reset'] for r in rows) else '; NOT reset here, so it includes loading') +
          '); extra_mb = that peak minus the RSS after loading the model and data.\n')
    with pd.option_context('display.width', 200, 'display.float_format', '{:.3f}'.format):
        print(df[cols].to_string(index=False))
    for model, d in df.groupby('model', sort=False):
        r = d.set_index('variant').ratio_vs_train
        print(f'{model}: Fisher / train = {r["fisher"]:.2f} (without the first-batch check '
              f'{r["fisher_nocheck"]:.2f}), '
              f'naive loop / train = {r["naive"]:.2f}, naive / Fisher = {r["naive"]/r["fisher"]:.1f}')

if __name__ == '__main__': main()
