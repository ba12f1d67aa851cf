"""Teacher and distilled students side by side: parameters, scoring latency, throughput, peak memory, training time.

    python benchmarks/distill_speed.py --model tiny-llama --data-dir ../shared/data            # seconds
    python benchmarks/distill_speed.py --model smollm2-135m --data-dir ../shared/data --batch 64 --repeats 5

The teacher is the LLM recommender of the profiles (LoRA on the backbone, item texts, `max_len` history positions) on
ML-100K; the students keep 25% and 50% of its layers (`--budgets`), the uniform mapping's layers, built with
`distill.make_student`. Speed does not depend on what the weights have learned, so nothing is trained first. Everything
is measured in this one process, on the same users and the same batch:

* parameters: all of the model's, and those of its transformer layers;
* latency: median over `--repeats` (after one warm-up) of scoring the whole catalogue for `--batch` test users in one
  forward pass; throughput = users / latency; speedup = teacher latency / model latency;
* peak memory of that forward pass (`distill_training.peak_memory`: on the CPU the peak tensor memory torch allocates
  during the pass, from the torch profiler's memory events; on CUDA the peak allocated above the resident weights; the
  printed method says which);
* training: the median time of one AdamW step over `--batch` training windows (after one warm-up step), measured for
  `--train-steps` steps: for the teacher its own next-item loss (as `training.fit` trains it), for each student the
  distillation loss of `DistillConfig()` (CE + soft KL + SLMRec hidden matching) with the teacher's outputs cached, as
  `distill` runs after its one teacher pass. An epoch is extrapolated as that step time x the sliding-window steps of
  one epoch; the students' one-off teacher pass over the epoch's windows (measured as the teacher's no-gradient
  forward per batch x steps) is reported beside it.
"""
import argparse, json, math, os, platform, statistics, sys, time
from pathlib import Path

def _parse():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--model', default='tiny-llama', choices=['smollm2-135m', 'tiny-llama'], help='the teacher backbone')
    ap.add_argument('--data-dir', default=os.environ.get('LAYERWISE_ADAPTER_DATA') or str(Path(__file__).resolve().parents[1].parent/'shared'/'data'),
                    help='folder with ml-100k/ (default: $LAYERWISE_ADAPTER_DATA or ../shared/data)')
    ap.add_argument('--batch', type=int, default=64, help='users scored per forward pass; windows per training step')
    ap.add_argument('--repeats', type=int, default=5, help='timed scoring passes per model (median reported)')
    ap.add_argument('--train-steps', type=int, default=3, help='timed training steps per model (median reported)')
    ap.add_argument('--budgets', default='0.25,0.5', help='fractions of the teacher layers the students keep')
    ap.add_argument('--max-len', type=int, default=20, help='history positions fed to the models')
    ap.add_argument('--threads', type=int, default=0, help='torch threads (0: leave as is)')
    ap.add_argument('--device', default='auto', help="'auto' (a GPU when there is one), 'cpu' or 'cuda'")
    ap.add_argument('--json', default='', help='also write the table to this JSON file')
    return ap.parse_args()

def _median_step(step, n:int, sync)->float:
    "Median seconds of `step()` over n calls after one warm-up call."
    step(); sync()
    times = []
    for _ in range(n):
        t0 = time.perf_counter(); step(); sync(); times.append(time.perf_counter() - t0)
    return statistics.median(times)

def main():
    args = _parse()
    import numpy as np, pandas as pd, torch
    from layerwise_adapter.data.load import load_dataset
    from layerwise_adapter.models.recommender import (RecConfig, SeqRecommender, NextItemLoss, collate_windows,
            sample_windows)
    from layerwise_adapter.models.training import item_counts
    from layerwise_adapter.selection.rules import n_keep_count
    from layerwise_adapter.distill.mapping import DistillConfig, make_student, layer_mapping
    from layerwise_adapter.distill.losses import TeacherOutputs, DistillLoss
    from layerwise_adapter.distill.training import scoring_speed
    if args.threads: torch.set_num_threads(args.threads)
    dev = torch.device('cuda' if args.device == 'auto' and torch.cuda.is_available() else ('cpu' if args.device == 'auto' else args.device))
    sync = (lambda: torch.cuda.synchronize(dev)) if dev.type == 'cuda' else (lambda: None)
    t_start = time.time()
    ds = load_dataset('ml-100k', args.data_dir)
    split = ds.leave_one_out('random', 0)
    torch.manual_seed(0)
    teacher = SeqRecommender(RecConfig(backbone=args.model, tune='lora', max_len=args.max_len, dropout=0.0), split.n_items, ds.item_text,
                             item_counts=item_counts(split)).to(dev).eval()
    L = teacher.backbone.n_layers
    models = {f'teacher ({L} layers)': teacher}
    for b in (float(x) for x in args.budgets.split(',')):
        k = n_keep_count(b, L)
        models[f'student {b:.0%} ({k} layers)'] = make_student(teacher, layer_mapping('uniform', L, k)).to(dev).eval()
    test = split.eval_data('test')
    print(f"{args.model}: {L} layers, hidden {teacher.backbone.hidden_size}; {split.n_items} items; {min(args.batch, len(test.users))} test users "
          f"per batch; {dev}; torch {torch.__version__}, {torch.get_num_threads()} threads; {platform.processor() or platform.machine()}", flush=True)
    table = scoring_speed(models, test.histories, batch_size=args.batch, repeats=args.repeats)
    table['speedup'] = table.latency_s.iloc[0] / table.latency_s

    # training: the same windows for every model
    wins = sample_windows(split.train_sequences(), args.max_len)   # one sliding epoch: every training target once
    steps_per_epoch = math.ceil(len(wins) / args.batch)
    rng = np.random.default_rng(0)
    batch = [wins[i] for i in rng.choice(len(wins), args.batch, replace=False)]
    b = collate_windows(batch)
    n_tgt = int((b['targets'] >= 0).sum())
    step_s, teacher_pass_s = [], []
    for name, m in models.items():
        m.train()
        if m is teacher:
            mod = NextItemLoss(m)
            loss_of = lambda: mod(**b) / n_tgt
            params = [p for p in m.parameters() if p.requires_grad]
            teacher_pass_s.append(float('nan'))
        else:
            dc = DistillConfig()
            mapping = layer_mapping('uniform', L, m.backbone.n_layers)
            tout = TeacherOutputs(teacher, mapping, dc).fill(batch, progress=False)
            tb = tout.batch(batch, dev)
            mod = DistillLoss(m, mapping, teacher, dc)
            denom = dict(targets=n_tgt, windows=len(batch), positions=int(b['mask'].sum()), share=1.0)
            loss_of = lambda: mod(**b, denom=denom, **tb)[0]
            params = [p for p in mod.parameters() if p.requires_grad]
            teacher_pass_s.append(_median_step(lambda: tout.compute(batch), args.train_steps, sync))
        opt = torch.optim.AdamW(params, lr=1e-5)
        def step():
            loss = loss_of(); loss.backward(); opt.step(); opt.zero_grad(set_to_none=True)
        step_s.append(_median_step(step, args.train_steps, sync))
        m.eval()
        print(f"  timed {name}", flush=True)
    table['train_step_s'] = step_s
    table['epoch_min'] = table.train_step_s * steps_per_epoch / 60
    table['teacher_pass_min'] = np.array(teacher_pass_s) * steps_per_epoch / 60
    cols = ['model', 'n_layers', 'params', 'layer_params', 'users', 'latency_s', 'users_per_s', 'speedup', 'peak_mem_mib',
            'train_step_s', 'epoch_min', 'teacher_pass_min']
    from layerwise_adapter.experiments.runner import markdown_table
    print()
    print(markdown_table(table[cols]))
    print(f"\nmemory: {table.memory.iloc[0]}; an epoch is {steps_per_epoch} steps of {args.batch} sliding windows (max_len {args.max_len}), "
          f"extrapolated from the median of {args.train_steps} timed steps; teacher_pass_min: the students' one-off pass of the teacher "
          f"over the epoch's windows (no gradients), extrapolated alike. Whole run {time.time() - t_start:.0f} s.")
    if args.json: Path(args.json).write_text(json.dumps(dict(args=vars(args), rows=table.to_dict(orient='records')), indent=1, default=str))

if __name__ == '__main__':
    main()
