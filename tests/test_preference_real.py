"""The real decoders answer through their own tokens: SmolLM2's and Gemma 3's single-token ' Yes'/' No', read from the
tied LM head."""
import dataclasses
import torch
from transformers import AutoTokenizer, AutoModelForCausalLM
from layerwise_adapter.models.backbones import smollm2_dir, gemma3_dir
from layerwise_adapter.preference.data import answer_token_ids, special_tokens_around
from layerwise_adapter.preference.model import PreferenceModel, PrefConfig

PROMPT = 'User liked: "Star Wars (1977)".\nUser disliked: "Sabrina (1995)".\nWill the user like "Fargo (1996)"? Answer:'

def test_answer_tokens_of_the_real_tokenizers():
    """Each tokenizer's ' Yes' and ' No' are single tokens that follow 'Answer:' unchanged; Gemma adds <bos>, SmolLM2
    nothing."""
    for src, want, specials in ((smollm2_dir, dict(no=2838, yes=9230, variant=' Yes'), ([], [])),
                                (gemma3_dir, dict(no=2301, yes=8438, variant=' Yes'), ([2], []))):
        tok = AutoTokenizer.from_pretrained(src())
        assert answer_token_ids(tok) == want
        assert special_tokens_around(tok) == specials
        for w, i in ((' Yes', want['yes']), (' No', want['no'])):
            ids = lambda text: tok(text, add_special_tokens=False)['input_ids']
            assert ids(PROMPT + w) == ids(PROMPT) + [i]

def test_smollm2_answer_logits_are_the_causal_lm_logits():
    "The base model's last state through the tied token table gives the logits of Hugging Face's LlamaForCausalLM."
    m = PreferenceModel(PrefConfig(backbone='smollm2-135m', tune='frozen')).eval()
    b = m.tokenize([PROMPT, PROMPT.replace('Fargo', 'Heat')])
    ref = AutoModelForCausalLM.from_pretrained(smollm2_dir()).eval()
    with torch.no_grad():
        z = m.vocab_logits(**b)
        zr = ref(input_ids=b['ids'], attention_mask=b['mask']).logits
    last = b['mask'].sum(1) - 1
    assert torch.allclose(z, zr[torch.arange(2), last], atol=1e-3)
    assert torch.equal(m(**b), z[:, [2838, 9230]])

def test_h4_preference_recipe_orders_known_answers(data_dir):
    """H4's preference recipe (quick profile), trained on 8 pairs of examples whose answer is known (ten liked items
    against the same ten disliked ones, the same target), scores the liked history above the disliked one on 4 held-out
    pairs, on both real decoders. The untrained LM heads order every such pair the other way, and the recipe H4 used
    before (their LM heads, head='lm') left SmolLM2's pairs in that order after the same training."""
    import numpy as np
    from layerwise_adapter.data.load import load_dataset
    from layerwise_adapter.experiments import h4
    from layerwise_adapter.experiments.config import H4Config
    from layerwise_adapter.experiments.params import resolve_parameters
    from layerwise_adapter.preference.data import known_answer_examples, item_names, prompts_for
    from layerwise_adapter.preference.model import fit_preference, predict
    from conftest import ROOT
    ds = load_dataset('ml-100k', data_dir)
    names = item_names(ds.item_text)
    train, held = known_answer_examples(ds.n_items, 8, seed=0), known_answer_examples(ds.n_items, 4, seed=1)
    cfg = H4Config(**resolve_parameters(ROOT/'nbs'/'hypotheses'/'H4_backbones.ipynb', 'quick'))
    pcfg, ptc = h4.preference_recipe(cfg)
    for b in ('smollm2-135m', 'gemma3-270m'):
        m = PreferenceModel(dataclasses.replace(pcfg, backbone=b))
        fit_preference(m, train, names, ptc, progress=False)
        s = predict(m, prompts_for(held, names), ptc.eval_batch)
        assert (s[1::2] > s[::2]).all(), (b, m.head_kind, s[1::2] - s[::2])
