"Distributed diagonal Fisher: two gloo processes on a split of the data give the single-process result on all of it."
import importlib.util, os, shutil, socket, subprocess, sys, time
from pathlib import Path
import pytest, torch

HERE = Path(__file__).resolve().parent
WORKER = HERE/'fisher_ddp_worker.py'

def _worker_module():
    spec = importlib.util.spec_from_file_location('fisher_ddp_worker', WORKER)
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    return mod

def _free_port()->int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def _launchers(port:int)->list[list[str]]:
    """accelerate launch first; torch.distributed.run if accelerate's launcher is not usable here.
    accelerate 1.x runs `--cpu` with several processes only through mpirun, so the processes are started by its
    torch.distributed.run launcher (`--multi_gpu`, which needs no GPU) and the worker asks for `Accelerator(cpu=True)`:
    gloo over loopback."""
    acc = [
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
        str(port),
    ]
    tdr = [
        sys.executable,
        '-m',
        'torch.distributed.run',
        '--nproc_per_node',
        '2',
        '--master_addr',
        '127.0.0.1',
        '--master_port',
        str(port),
    ]
    return [acc, tdr]

def test_two_processes_equal_one(tmp_path):
    from layerwise_adapter.importance.fisher import fisher_diagonal
    w = _worker_module()
    ref = fisher_diagonal(w.make_model(), w.batches_of(w.make_data()), w.forward, progress=False)
    env = dict(os.environ, GLOO_SOCKET_IFNAME='lo', OMP_NUM_THREADS='1', HF_HUB_OFFLINE='1',
               ACCELERATE_CONFIG_FILE=str(tmp_path/'no_config.yaml'), PYTHONPATH=str(HERE.parent))
    errors = []
    for launcher in _launchers(_free_port()):
        out = tmp_path/'fisher.pt'
        t0 = time.time()
        r = subprocess.run(launcher + [str(WORKER), str(out)], env=env, capture_output=True, text=True, timeout=120)
        if r.returncode == 0 and out.exists():
            print(f"{' '.join(launcher[2:4])}: {time.time()-t0:.1f} s"); break
        errors.append(
            f"{' '.join(launcher[:3])} failed ({r.returncode}) in {time.time()-t0:.0f} s:\n{r.stderr[-2000:]}"
        )
    else: pytest.fail('\n\n'.join(errors))
    got = torch.load(out)
    assert sorted(got) == sorted(ref)
    for k in ref:
        err = float((got[k] - ref[k]).norm() / ref[k].norm())
        assert err <= 1e-6, f'{k}: relative error {err:.2e}'
    # one process alone on its share is not the answer (the test can fail)
    half = fisher_diagonal(w.make_model(), w.batches_of(w.make_data()[:w.SPLIT]), w.forward, progress=False)
    assert max(float((half[k] - ref[k]).norm() / ref[k].norm()) for k in ref) > 1e-2
