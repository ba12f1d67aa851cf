"JupyterLab comes with the install, and the registered `layerwise-adapter` kernel runs notebooks in this environment."
import json, subprocess, sys
from pathlib import Path
import nbformat
from conftest import ROOT

BIN = Path(sys.executable).parent

def test_jupyter_lab_runs():
    r = subprocess.run([BIN/'jupyter', 'lab', '--version'], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip()[:1].isdigit(), r.stderr

def test_registered_kernel_is_this_environment():
    r = subprocess.run([BIN/'jupyter', 'kernelspec', 'list', '--json'], capture_output=True, text=True, check=True)
    spec = json.loads(r.stdout)['kernelspecs'].get('layerwise-adapter')
    assert spec, 'no layerwise-adapter kernel: run scripts/install.sh'
    assert Path(spec['spec']['argv'][0]).parent == BIN

def execute(nb_path:Path)->nbformat.NotebookNode:
    "The notebook executed with the registered kernel, as a user's `jupyter nbconvert --execute` does."
    out = nb_path.with_name(nb_path.stem + '.out.ipynb')
    r = subprocess.run(
        [
            BIN / 'jupyter',
            'nbconvert',
            '--to',
            'notebook',
            '--execute',
            '--ExecutePreprocessor.kernel_name=layerwise-adapter',
            '--ExecutePreprocessor.timeout=600',
            str(nb_path),
            '--output',
            out.name,
        ],
        capture_output=True,
        text=True,
        cwd=nb_path.parent,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    return nbformat.read(out, as_version=4)

def test_registered_kernel_runs_a_notebook(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('import sys, layerwise_adapter\nprint(sys.prefix)')])
    nbformat.write(nb, tmp_path/'where.ipynb')
    assert execute(tmp_path/'where.ipynb').cells[0].outputs[0]['text'].strip() == sys.prefix

def test_registered_kernel_runs_a_library_notebook(tmp_path):
    "nbs/00_core.ipynb with its tests, run as a reader re-runs it (less its closing nbdev_export)."
    nb = nbformat.read(ROOT/'nbs'/'00_core.ipynb', as_version=4)
    nb.cells = [c for c in nb.cells if 'nbdev_export' not in c.source]
    nbformat.write(nb, tmp_path/'00_core.ipynb')
    done = execute(tmp_path/'00_core.ipynb')
    assert not [o for c in done.cells for o in c.get('outputs', []) if o.get('output_type') == 'error']
