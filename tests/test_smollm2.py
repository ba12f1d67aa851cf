"The real SmolLM2-135M backbone: converted from the packaged GGUF, cached, and seen through the uniform layer view."
import time, torch
from layerwise_adapter.models.backbones import load_backbone, smollm2_dir

def test_smollm2_loads_and_layer_subset_matches_hf():
    smollm2_dir()                       # converts once (about 20 s), then cached
    t0 = time.time(); bb = load_backbone('smollm2-135m').eval(); load_s = time.time() - t0
    assert load_s < 10, f'cached load took {load_s:.1f} s'
    assert (bb.n_layers, bb.hidden_size) == (30, 576)
    assert sum(p.numel() for p in bb.parameters()) == 134_515_008
    ids = bb.tokenizer(['The capital of France is'], return_tensors='pt')
    x = bb.input_embeddings()(ids['input_ids'])
    with torch.no_grad():
        ref = bb.model(input_ids=ids['input_ids'], attention_mask=ids['attention_mask']).last_hidden_state
        assert torch.equal(bb(x, ids['attention_mask']).last_hidden_state, ref)
        assert torch.equal(bb(x, ids['attention_mask'], keep=list(range(30))).last_hidden_state, ref)
        assert (bb(x, ids['attention_mask'], keep=list(range(29))).last_hidden_state - ref).abs().max() > 1e-2

def test_smollm2_is_a_real_language_model():
    "Greedy decoding through the tied embeddings completes a fact: the weights are real, not random."
    bb = load_backbone('smollm2-135m').eval()
    ids = bb.tokenizer('The capital of France is', return_tensors='pt')['input_ids']
    with torch.no_grad():
        for _ in range(2):
            h = bb.model(input_ids=ids).last_hidden_state[:, -1]
            ids = torch.cat([ids, (h @ bb.input_embeddings().weight.T).argmax(-1, keepdim=True)], 1)
    assert 'Paris' in bb.tokenizer.decode(ids[0, -2:])
