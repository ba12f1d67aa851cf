"""Distillation on accelerate: two gloo processes, each with its share of every batch, train the same student as one."""
import importlib.util, json, os, socket, subprocess, sys, time
from pathlib import Path
import torch

HERE = Path(__file__).resolve().parent
WORKER = HERE/'distill_worker.py'

def _worker():
    spec = importlib.util.spec_from_file_location('distill_worker', WORKER)
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    return mod

def _free_port()->int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def test_two_processes_distil_like_one(tmp_path, monkeypatch):
    "The same student, losses, dynamic Fisher weights and steps: one process and two agree on weights and updates."
    from safetensors.torch import load_file
    from layerwise_adapter.core.base import temp_cache
    from layerwise_adapter.models.training import trainable_state
    with temp_cache():
        student, r = _worker().run()
    ref = trainable_state(student)
    env = dict(
        os.environ,
        OMP_NUM_THREADS='1',
        HF_HUB_OFFLINE='1',
        PYTHONPATH=str(HERE.parent),
        GLOO_SOCKET_IFNAME='lo',
        LAYERWISE_ADAPTER_CACHE=str(tmp_path / 'cache'),
        ACCELERATE_CONFIG_FILE=str(tmp_path / 'no_config.yaml'),
    )
    launcher = [
        sys.executable,
        '-m',
        'accelerate.commands.launch',
        '--multi_gpu',
        '--num_processes',
        '2',
        '--num_machines',
        '1',
        '--mixed_precision',
        'no',
        '--dynamo_backend',
        'no',
        '--main_process_ip',
        '127.0.0.1',
        '--main_process_port',
        str(_free_port()),
    ]
    out = tmp_path/'ddp.safetensors'
    t0 = time.time()
    p = subprocess.run(launcher + [str(WORKER), str(out), 'ddp'], env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0 and out.exists(), p.stderr[-3000:]
    got, rec = load_file(str(out)), json.loads(Path(str(out) + '.json').read_text())
    assert rec['processes'] == 2 and r['processes'] == 1
    assert sorted(got) == sorted(ref)
    worst = max(float((got[k] - ref[k]).abs().max()) for k in ref)
    upd = max(
        abs(a - b)
        for u, v in zip(rec['weight_updates'], r['weight_updates'])
        for a, b in zip(u['weights'], v['weights'])
    )
    print(
        f"2 processes: {time.time() - t0:.1f} s; largest weight difference to one process {worst:.1e}, "
        f"of the layer weights {upd:.1e}"
    )
    assert [u['step'] for u in rec['weight_updates']] == [u['step'] for u in r['weight_updates']]
    assert worst < 1e-3 and upd < 1e-3   # float32 all-reduce and summation order, through two epochs of Adam
    for a, b in zip(rec['history'], r['history']):
        assert abs(a['kd'] - b['kd']) < 1e-4 and abs(a['hidden'] - b['hidden']) < 1e-4
