"""Worker of `test_training.py`: trains a small SASRec on synthetic data with `training.fit`.

`python training_worker.py OUT.json CKPT_DIR [resume|ddp]`:
- default: one process, checkpoints in CKPT_DIR every few steps, early stopping on validation users; writes the run's
  validation history, test NDCG@10 and a hash of the trained weights to OUT.json;
- `ddp`: run under a two-process launcher (gloo); rank 0 writes the trained weights to OUT (safetensors).
The data and model are also built by the test itself, through `setup()`.
"""
import hashlib, json, sys
import numpy as np
import torch

def setup(n_users:int=1200, dropout:float=0.1):
    from layerwise_adapter.data.load import load_dataset
    from layerwise_adapter.models.recommender import RecConfig, SeqRecommender
    ds = load_dataset('synthetic', n_users=n_users, n_items=50, seq_len=20, seed=3)
    split = ds.leave_one_out()
    cfg = RecConfig(backbone='sasrec', n_layers=2, hidden=32, max_len=10, dropout=dropout)
    return split, SeqRecommender(cfg, split.n_items)

def weights_hash(model)->str:
    from layerwise_adapter.models.training import trainable_state
    st = trainable_state(model)
    return hashlib.sha256(b''.join(st[k].numpy().tobytes() for k in sorted(st))).hexdigest()

def main(out:str, ckpt:str, mode:str='resume'):
    from layerwise_adapter.models.training import TrainConfig, fit, validation_score, trainable_state
    torch.set_num_threads(1)
    if mode == 'ddp':
        split, model = setup(96, dropout=0.0)   # no dropout: the processes would draw other masks than one process does
        fit(
            model,
            split.train_sequences(),
            TrainConfig(epochs=2, batch_size=10, lr=5e-3, patience=0),
            progress=False,
            cpu=True,
        )
        if torch.distributed.get_rank() == 0:
            from safetensors.torch import save_file
            save_file(trainable_state(model), out)
        torch.distributed.barrier(); torch.distributed.destroy_process_group()
        return
    split, model = setup()
    tc = TrainConfig(epochs=3, batch_size=16, lr=3e-3, patience=2, checkpoint_steps=40)
    r = fit(model, split.train_sequences(), tc, valid=split.eval_data('valid'), ckpt_dir=ckpt, progress=False)
    res = dict(
        history=[h['valid_NDCG@10'] for h in r['history']],
        losses=[h['loss'] for h in r['history']],
        best_epoch=r['best_epoch'],
        steps=r['optimiser_steps'],
        test=validation_score(model, split.eval_data('test')),
        weights=weights_hash(model),
    )
    with open(out, 'w') as f: json.dump(res, f)

if __name__ == '__main__': main(*sys.argv[1:])
