"""One rule text per hypothesis: the rule block of its report template, word for word in its notebook's first cell,
and a design history at the template's end whose commits exist."""
import json, re, subprocess
import pytest
from conftest import ROOT

HYP = ROOT/'nbs'/'hypotheses'
# hypothesis -> its notebook
NOTEBOOKS = {'H1': 'H1_upper_layers', 'H2': 'H2_fisher', 'H3': 'H3_distill', 'H4': 'H4_backbones',
             'H5': 'H5_compression'}
RULE = re.compile(r'<!-- rule -->\n.*?\n<!-- /rule -->', re.S)
HASH = re.compile(r'`([0-9a-f]{7,40})`')
PENDING = 'issue 19 (this change)'   # the last entry may name this instead of a commit, until the change is committed

def rule_blocks(text:str)->list[str]:
    "Every `<!-- rule -->` ... `<!-- /rule -->` block of a markdown text."
    return RULE.findall(text)

def template(name:str)->str: return (HYP/'templates'/f'{name}.md').read_text()

def first_cell(name:str)->str:
    "The source of the first cell of a hypothesis notebook (its markdown statement)."
    cell = json.loads((HYP/f'{NOTEBOOKS[name]}.ipynb').read_text())['cells'][0]
    assert cell['cell_type'] == 'markdown', f'{name}: the first cell is not markdown'
    return ''.join(cell['source'])

def design_history(text:str)->str:
    "The template's last section, which must be its design history."
    sections = re.split(r'^## ', text, flags=re.M)
    assert sections[-1].startswith('Design history\n'), 'the template does not end with "## Design history"'
    return sections[-1]

def entries_without_commit(entries:list[str])->list[str]:
    "The design-history entries that name no commit; only the last may stand without one, if it says `PENDING`."
    return [e for i, e in enumerate(entries)
            if not HASH.search(e) and not (i == len(entries) - 1 and PENDING in e)]

def test_entries_without_commit():
    assert entries_without_commit(['`abc1234` a', f'{PENDING}: b']) == []
    assert entries_without_commit([f'{PENDING}: a', '`abc1234` b']) == [f'{PENDING}: a']   # the last entry only
    assert entries_without_commit(['`abc1234` a', 'no commit']) == ['no commit']

def test_rule_blocks_are_found():
    test = 'a\n<!-- rule -->\n**Rule.** x < alpha.\n<!-- /rule -->\nb'
    assert rule_blocks(test) == ['<!-- rule -->\n**Rule.** x < alpha.\n<!-- /rule -->']
    assert rule_blocks('no block') == []

@pytest.mark.parametrize('name', sorted(NOTEBOOKS))
def test_rule_stated_once_and_in_notebook(name):
    blocks = rule_blocks(template(name))
    assert len(blocks) == 1, f'{name}.md states {len(blocks)} rule blocks, not one'
    assert not set('{}') & set(blocks[0]), f'{name}: the rule holds template fields, so a report would not repeat it'
    assert rule_blocks(first_cell(name)) == blocks, f'{name}: the notebook\'s first cell does not state the same rule'

def git_commits(hashes:set[str])->set[str]:
    "The hashes among `hashes` that name a commit of this repository (the test is skipped without full history)."
    r = subprocess.run(['git', '-C', str(ROOT), 'rev-parse', '--is-shallow-repository'], capture_output=True, text=True)
    if r.returncode != 0 or r.stdout.strip() != 'false': pytest.skip('no full git history to check the commits in')
    return {h for h in hashes if subprocess.run(['git', '-C', str(ROOT), 'cat-file', '-e', f'{h}^{{commit}}'],
                                                capture_output=True).returncode == 0}

@pytest.mark.parametrize('name', sorted(NOTEBOOKS))
def test_design_history(name):
    history = design_history(template(name))
    entries = [e for e in re.split(r'^- ', history, flags=re.M)[1:]]
    assert entries, f'{name}: the design history lists no change'
    bad = entries_without_commit(entries)
    assert not bad, f'{name}: a design-history entry names no commit: {bad[0][:80]!r}'
    hashes = {h for e in entries for h in HASH.findall(e)}
    assert not set('{}') & set(history), f'{name}: the design history holds template fields'
    missing = hashes - git_commits(hashes)
    assert not missing, f'{name}: the design history names commits this repository lacks: {sorted(missing)}'

@pytest.mark.parametrize('name', sorted(NOTEBOOKS))
def test_readme_states_the_rule(name):
    blocks = rule_blocks(template(name))
    assert blocks and blocks[0] in (ROOT/'README.md').read_text(), f'README does not state the rule of {name} verbatim'
