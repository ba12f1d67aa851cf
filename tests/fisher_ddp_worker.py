"""Worker of `test_fisher_ddp.py`: every process computes the diagonal Fisher of its share of a fixed data set.

Run by `accelerate launch --multi_gpu --num_processes 2 ...` (CPU processes: the worker asks for
`Accelerator(cpu=True)`) (or `python -m torch.distributed.run --nproc_per_node 2 ...`)
as `fisher_ddp_worker.py OUT.pt`; rank 0 saves the all-reduced result to OUT.pt. Imported by the test for the same
model, data and forward in a single process.
"""
import sys
import numpy as np
import torch
from torch import nn

N_EXAMPLES, SPLIT = 13, 6   # rank 0 takes the first 6 sequences, rank 1 the other 7 (uneven on purpose)

class TinySeq(nn.Module):
    "Embedding -> Linear -> RMSNorm -> LayerNorm -> Linear head over [B, T] token ids, float64."
    def __init__(self, V=15, d=8):
        super().__init__()
        self.emb, self.fc = nn.Embedding(V, d, padding_idx=0), nn.Linear(d, d)
        self.rms, self.ln, self.head = nn.RMSNorm(d, eps=1e-6), nn.LayerNorm(d), nn.Linear(d, V)
    def forward(self, ids): return self.head(self.ln(self.rms(torch.tanh(self.fc(self.emb(ids))))))

def make_model()->nn.Module:
    torch.manual_seed(0)
    m = TinySeq().double()
    with torch.no_grad():
        for p in m.parameters(): p.add_(0.2*torch.randn_like(p))
    return m

def make_data()->list:
    rng = np.random.default_rng(0)
    return [rng.integers(1, 15, size=int(rng.integers(3, 9))) for _ in range(N_EXAMPLES)]

def batches_of(seqs:list, size:int=4)->list: return [seqs[i:i+size] for i in range(0, len(seqs), size)]

def forward(model, seqs):
    "Next-token logits [B, T, V] and targets [B, T] (-100 at padding)."
    T = max(len(s) for s in seqs) - 1
    ids, tgt = torch.zeros(len(seqs), T, dtype=torch.long), torch.full((len(seqs), T), -100)
    for i, s in enumerate(seqs):
        s = torch.as_tensor(s); ids[i, :len(s)-1], tgt[i, :len(s)-1] = s[:-1], s[1:]
    return model(ids), tgt

def main(out:str):
    from accelerate import Accelerator
    from layerwise_adapter.importance.fisher import fisher_diagonal
    acc = Accelerator(cpu=True)
    assert acc.num_processes == 2 and torch.distributed.get_backend() == 'gloo', (
        acc.num_processes,
        acc.distributed_type,
    )
    model = acc.prepare(make_model())   # DistributedDataParallel: fisher_diagonal unwraps it
    data = make_data()
    mine = data[:SPLIT] if acc.process_index == 0 else data[SPLIT:]
    f = fisher_diagonal(model, batches_of(mine), forward, progress=False)
    if acc.is_main_process: torch.save({k: v.cpu() for k, v in f.items()}, out)
    acc.wait_for_everyone()
    torch.distributed.destroy_process_group()

if __name__ == '__main__': main(sys.argv[1])
