"""The H4 controls on the real SmolLM2: a random copy of the same config, a truncated copy size-matched to MiniLM,
and their facts."""
import torch
from layerwise_adapter.models.backbones import load_backbone, backbone_facts, layers_for_size

def test_smollm2_facts_random_copy_and_size_match():
    pre, rnd = load_backbone('smollm2-135m'), load_backbone('random:smollm2-135m')
    f, fr = backbone_facts(pre), backbone_facts(rnd)
    assert (f['params'], f['embedding_params'], f['non_embedding_params']) == (134_515_008, 49152 * 576,
                                                                                134_515_008 - 49152 * 576)
    assert (f['family'], f['layers'], f['hidden'], f['tuned']) == ('Llama', 30, 576, 'instruction-tuned')
    same = lambda facts: {k: v for k, v in facts.items() if k not in ('backbone', 'tuned', 'weights')}
    assert same(fr) == same(f)
    assert not torch.equal(pre.layers[0].self_attn.q_proj.weight, rnd.layers[0].self_attn.q_proj.weight)
    minilm = backbone_facts(load_backbone('minilm-l6'))['non_embedding_params']      # 10,795,392
    k = layers_for_size(pre, minilm)
    assert k == 3
    small = backbone_facts(load_backbone(f'smollm2-135m@{k}'))
    assert small['layers'] == 3 and abs(small['non_embedding_params'] - minilm) / minilm < 0.05
