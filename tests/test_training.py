"""Training on accelerate: two gloo processes equal one, and a run killed with SIGKILL mid-epoch resumes to the same
result."""
import importlib.util, json, os, signal, socket, subprocess, sys, time
from pathlib import Path
import pytest, torch

HERE = Path(__file__).resolve().parent
WORKER = HERE/'training_worker.py'

def _worker():
    spec = importlib.util.spec_from_file_location('training_worker', WORKER)
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    return mod

def _env(tmp_path, **kw):
    return dict(
        os.environ,
        OMP_NUM_THREADS='1',
        HF_HUB_OFFLINE='1',
        PYTHONPATH=str(HERE.parent),
        LAYERWISE_ADAPTER_CACHE=str(tmp_path / 'cache'),
        ACCELERATE_CONFIG_FILE=str(tmp_path / 'no_config.yaml'),
        **kw
    )

def _progress(ckpt:Path)->dict|None:
    try:
        d = ckpt/json.loads((ckpt/'latest.json').read_text())['dir']
        return json.loads((d/'progress.json').read_text())
    except (OSError, ValueError, KeyError): return None

def test_kill_mid_epoch_then_resume(tmp_path):
    "SIGKILL a run once it checkpointed inside its second epoch; the rerun ends where an uninterrupted run does."
    run = lambda out, ckpt: [sys.executable, str(WORKER), str(out), str(ckpt)]
    r = subprocess.run(
        run(tmp_path / 'a.json', tmp_path / 'a'), env=_env(tmp_path), capture_output=True, text=True, timeout=600
    )
    assert r.returncode == 0, r.stderr[-3000:]
    p = subprocess.Popen(
        run(tmp_path / 'b.json', tmp_path / 'b'), env=_env(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    t0, killed_at = time.time(), None
    while time.time() - t0 < 600 and p.poll() is None:
        pr = _progress(tmp_path/'b')
        if pr and pr['epoch'] >= 1 and pr['step_in_epoch'] > 0:
            p.send_signal(signal.SIGKILL); p.wait(); killed_at = pr; break
        time.sleep(0.05)
    assert killed_at is not None, 'the run finished before a mid-epoch checkpoint was seen'
    assert p.returncode == -signal.SIGKILL and not (tmp_path/'b.json').exists()
    print(
        f"killed after step {killed_at['global_step']} "
        f"(epoch {killed_at['epoch'] + 1}, step {killed_at['step_in_epoch']} of it)"
    )
    r = subprocess.run(
        run(tmp_path / 'b.json', tmp_path / 'b'), env=_env(tmp_path), capture_output=True, text=True, timeout=600
    )
    assert r.returncode == 0, r.stderr[-3000:]
    a, b = json.loads((tmp_path/'a.json').read_text()), json.loads((tmp_path/'b.json').read_text())
    assert a == b, (a, b)

def _free_port()->int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def test_two_processes_equal_one(tmp_path):
    "Two gloo processes, each with its share of every batch, train the same weights as one process."
    from safetensors.torch import load_file
    from layerwise_adapter.models.training import TrainConfig, fit, trainable_state
    w = _worker()
    split, model = w.setup(96, dropout=0.0)
    torch.manual_seed(0)
    fit(
        model,
        split.train_sequences(),
        TrainConfig(epochs=2, batch_size=10, lr=5e-3, patience=0),
        progress=False,
        cpu=True,
    )
    ref = trainable_state(model)
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
    r = subprocess.run(
        launcher + [str(WORKER), str(out), str(tmp_path / 'unused'), 'ddp'],
        env=_env(tmp_path, GLOO_SOCKET_IFNAME='lo'),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0 and out.exists(), r.stderr[-3000:]
    got = load_file(str(out))
    assert sorted(got) == sorted(ref)
    worst = max(float((got[k] - ref[k]).abs().max()) for k in ref)
    print(f'2 processes: {time.time() - t0:.1f} s; largest weight difference to one process {worst:.1e}')
    assert worst < 1e-3   # float32 all-reduce and summation order, through two epochs of Adam (see 04a_training)
