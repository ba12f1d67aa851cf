"""The real decoders answer through their own tokens: SmolLM2's and Gemma 3's single-token ' Yes'/' No', read from the
tied LM head."""
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
