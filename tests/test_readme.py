"README's Python block under 'Your own data and model' runs as written (small budgets), in a scratch folder."
import os, re, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def readme_block(section:str)->str:
    "The first ```python block after the heading `section`."
    text = (ROOT/'README.md').read_text()
    return re.search(r'```python\n(.*?)```', text[text.index(section):], re.S).group(1)

def test_readme_library_block_runs(tmp_path):
    code = readme_block('## Your own data and model')
    assert code.startswith('# small budgets')
    r = subprocess.run([sys.executable, '-c', code], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                       env={**os.environ, 'LAYERWISE_ADAPTER_CACHE': str(tmp_path/'cache')})
    assert r.returncode == 0, r.stderr[-3000:]
    assert (tmp_path/'my-student'/'student.json').exists() and 'item' in r.stdout
