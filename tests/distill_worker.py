"""Worker of `test_distill.py`: distils a tiny Llama teacher into a 2-layer student on synthetic data with `distill`.

`python distill_worker.py OUT.safetensors [ddp]`: trains one student (dynamic layer weights, attention and hidden-state
terms, no dropout) for two epochs on the CPU and, on rank 0, writes its trainable weights and its record to OUT (and
OUT.json). Run it plain for one process, or under a two-process launcher (gloo) with `ddp`. The test also builds the
same teacher and student itself, through `setup()`.
"""
import json, sys
import torch

def setup():
    from layerwise_adapter.data.load import load_dataset
    from layerwise_adapter.models.recommender import RecConfig, SeqRecommender
    from layerwise_adapter.distill.mapping import make_student
    ds = load_dataset('synthetic', n_users=96, n_items=40, seq_len=20, seed=3)
    split = ds.leave_one_out()
    teacher = SeqRecommender(RecConfig(backbone='tiny-llama', max_len=8, dropout=0.0, use_text=False), split.n_items)
    g = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for n, p in teacher.named_parameters():
            if 'lora_B' in n or n.startswith('out_emb'):   # a teacher with opinions
                p.copy_(torch.randn(p.shape, generator=g) * 0.3)
    return split, teacher.eval(), make_student(teacher, [1, 4])

def run(cpu:bool=True):
    "Distil the `setup()` student; (student, record)."
    from layerwise_adapter.models.training import TrainConfig
    from layerwise_adapter.distill.mapping import DistillConfig
    from layerwise_adapter.distill.training import distill
    split, teacher, student = setup()
    dc = DistillConfig(attention=0.5, hidden_loss='slmrec', layer_weights='dynamic', dynamic_every=3)
    tc = TrainConfig(epochs=2, batch_size=10, lr=5e-3, lr_backbone=2e-3, patience=0)
    r = distill(teacher, student, split, dc, tc, valid=False, progress=False, cpu=cpu)
    return student, r

def main(out:str, mode:str=''):
    from safetensors.torch import save_file
    from layerwise_adapter.models.training import trainable_state
    torch.set_num_threads(1)
    student, r = run()
    if not torch.distributed.is_initialized() or torch.distributed.get_rank() == 0:
        save_file(trainable_state(student), out)
        with open(out + '.json', 'w') as f:
            json.dump(dict(weight_updates=r['weight_updates'], history=r['history'], processes=r['processes']), f)
    if torch.distributed.is_initialized(): torch.distributed.barrier(); torch.distributed.destroy_process_group()

if __name__ == '__main__': main(*sys.argv[1:])
