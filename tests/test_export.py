"""`lwa data export NAME --format recbole DIR`: the .inter file read back and split the way RecBole's leave-one-out
splits it (rows ordered by timestamp, grouped by user, the last row to test and the one before to validation) gives
every user the train, validation and test items of the project's split, on the synthetic data, on a file whose
interactions tie in time, and on ML-100K (half of whose consecutive interactions share a second)."""
import json
import numpy as np
import pandas as pd
import pytest
from conftest import lwa, stderr_lines
from layerwise_adapter.data.files import synthetic_files
from layerwise_adapter.data.load import load_dataset
from layerwise_adapter.models.training import split_signature

def export(tmp_path, name:str, *extra:str)->tuple[dict, pd.DataFrame]:
    "Run the export; (what it printed, the .inter file read back with its tokens as strings)."
    r = lwa('data', 'export', name, '--format', 'recbole', str(tmp_path), *extra)
    assert r.returncode == 0, r.stderr[-3000:]
    said = json.loads(r.stdout)
    inter = pd.read_csv(f"{said['folder']}/{said['folder'].rsplit('/', 1)[-1]}.inter", sep='\t', dtype=str,
                        keep_default_na=False)
    return said, inter

def rebuilt(inter:pd.DataFrame)->dict:
    "user -> (train items, valid item, test item) by the order of the timestamp column, as RecBole's LS takes them."
    assert list(inter.columns) == ['user_id:token', 'item_id:token', 'timestamp:float']
    t = inter['timestamp:float'].astype(float).to_numpy()
    assert len(np.unique(t)) == len(t) and (t == np.round(t)).all() and t.max() < 2**24   # exact in float32
    df = inter.iloc[np.argsort(t, kind='stable')]
    out = {}
    for u, g in df.groupby('user_id:token', sort=False):
        items = g['item_id:token'].tolist()
        out[u] = (items[:-2], items[-2], items[-1]) if len(items) >= 3 else (items, None, None)
    return out

def project(ds, split)->dict:
    "user -> (train items, valid item, test item) of the project's split, in raw ids."
    U, I = ds.raw_user_ids.astype(str), ds.raw_item_ids.astype(str)
    seqs = split.train_sequences()
    valid, test = (dict(zip(df.user.tolist(), df.item.tolist())) for df in (split.valid, split.test))
    return {U[u]: ([I[i] for i in seqs[u]], I[valid[u]] if u in valid else None, I[test[u]] if u in test else None)
            for u in range(ds.n_users)}

def check(ds, split, said, inter):
    "The export reproduces `split` for every user, file order included, and says so in README.json."
    got, want = rebuilt(inter), project(ds, split)
    assert set(got) == set(want) and all(got[u] == want[u] for u in want)
    users = inter['user_id:token'].to_numpy()
    t = inter['timestamp:float'].astype(float).to_numpy()
    assert (np.diff(t)[users[1:] == users[:-1]] > 0).all()      # the file's own order is the split's order too
    note = json.loads(open(f"{said['folder']}/README.json").read())
    assert note['split'] == split_signature(split) == said['split']
    want = dict(split={'LS': 'valid_and_test'}, order='TO', group_by='user', mode='full')
    assert note['recbole']['eval_args'] == want

def test_synthetic(tmp_path):
    said, inter = export(tmp_path, 'synthetic')
    assert said['folder'].endswith('/synthetic-seed0') and said['split']['tie_seed'] == 0
    ds = load_dataset('synthetic')
    check(ds, ds.leave_one_out('random', 0), said, inter)

def test_tied_file_each_seed(tmp_path):
    "Same-second interactions: the tie seed changes the order, and each seed's export reproduces its own split."
    inter_csv, items = synthetic_files(tmp_path/'data', n_users=60, n_items=40, seq_len=8)
    df = pd.read_csv(inter_csv)
    df.assign(timestamp=df.timestamp // 180 * 180).to_csv(tmp_path/'ties.csv', index=False)   # 3 steps a tick
    ds = load_dataset(tmp_path/'ties.csv', items=items)
    assert ds.tied_share() > 0.5
    splits = {}
    for seed in (0, 1):
        said, inter = export(tmp_path/'out', str(tmp_path/'ties.csv'), '--items', str(items), '--tie-seed', str(seed))
        assert said['folder'].endswith(f'/ties-seed{seed}')
        splits[seed] = ds.leave_one_out('random', seed)
        check(ds, splits[seed], said, inter)
        texts = pd.read_csv(f"{said['folder']}/ties-seed{seed}.item", sep='\t', dtype=str)
        assert texts['item_text:token_seq'].str.startswith('Film number').all()
    assert split_signature(splits[0])['sha256'] != split_signature(splits[1])['sha256']

def test_ml100k(tmp_path, data_dir):
    said, inter = export(tmp_path, 'ml-100k', '--data-dir', data_dir)
    ds = load_dataset('ml-100k', data_dir)
    assert ds.tied_share() > 0.3 and len(inter) == len(ds.interactions) == 100_000
    check(ds, ds.leave_one_out('random', 0), said, inter)

def test_refuses_a_folder_it_did_not_write(tmp_path):
    (tmp_path/'synthetic-seed0').mkdir(); (tmp_path/'synthetic-seed0'/'notes.txt').write_text('mine')
    r = lwa('data', 'export', 'synthetic', '--format', 'recbole', str(tmp_path))
    lines = stderr_lines(r)
    assert r.returncode == 2 and len(lines) == 1 and 'lwa did not export into it' in lines[0], r.stderr
    assert (tmp_path/'synthetic-seed0'/'notes.txt').read_text() == 'mine'
