"""Peers for `npm run bench:sweep` (bench/sweep.ts): a sweep that mlplab runs with --jobs 2 (digits, or diabetes
for regression), run as one whole process by scikit-learn (MLPClassifier or MLPRegressor fits under joblib,
n_jobs=2, each worker on one BLAS thread) or by PyTorch (float64, two worker processes of one thread each). Same runs (learning rate x units x seed), same
train/test rows per seed (exported by sweep.ts from mlplab's stratified split: SPEC.json), same epochs, batch
size and optimizer (Adam, no weight decay); inputs (and regression targets) standardized with the training
rows' mean and population std, as mlplab does. Initial weights and batch order are each library's own (seeded by the run's seed), so the runs
are alike, not bit-identical: the mean test accuracy shows that each trained, not that they agree to the bit.
Reads the CSV itself (the process is timed whole by sweep.ts, from start to exit).
Prints one JSON line: {"peer", "runs", "metric": "test_accuracy" or "test_r2", "mean", "completed", "fit_seconds"}.
Usage: /usr/bin/python3 bench/sweep_peers.py sklearn|torch SPEC.json
"""
import csv, json, sys, time, warnings

import numpy as np

peer, spec_file = sys.argv[1], sys.argv[2]
spec = json.load(open(spec_file))
JOBS = spec['jobs']
REGRESSION = spec['task'] == 'regression'


def load():
    with open(spec['csv'], newline='') as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    t = header.index(spec['target'])
    x = np.array([[float(v) for k, v in enumerate(r) if k != t] for r in body])
    labels = [r[t] for r in body]
    if REGRESSION:
        return x, np.array([float(v) for v in labels])
    classes = sorted(set(labels), key=lambda c: float(c))
    y = np.array([classes.index(c) for c in labels])
    return x, y


def scaled_targets(y, split):
    """Regression: the targets standardized with the training rows' mean and population std (R² is unchanged)."""
    if not REGRESSION:
        return y[split['train']], y[split['test']]
    mean, std = y[split['train']].mean(), y[split['train']].std() or 1.0
    return (y[split['train']] - mean) / std, (y[split['test']] - mean) / std


def r2(pred, y):
    return float(1 - ((y - pred) ** 2).sum() / ((y - y.mean()) ** 2).sum())


def standardized(x, train, test):
    mean = x[train].mean(axis=0)
    std = x[train].std(axis=0)  # population std, as mlplab's standardize
    std[std == 0] = 1.0
    return (x[train] - mean) / std, (x[test] - mean) / std


def fit_sklearn(x, y, run, split):
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    xtr, xte = standardized(x, split['train'], split['test'])
    ytr, yte = scaled_targets(y, split)
    e = spec['epochs']
    mlp = MLPRegressor if REGRESSION else MLPClassifier
    model = mlp(hidden_layer_sizes=(run['units'],), activation='relu', solver='adam', alpha=0.0,
                batch_size=spec['batch_size'], learning_rate_init=run['learning_rate'], max_iter=e,
                shuffle=True, random_state=run['seed'], tol=0.0, n_iter_no_change=e + 1)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # ConvergenceWarning: max_iter reached, as intended
        model.fit(xtr, ytr)
    return float(model.score(xte, yte))  # accuracy, or R²


def torch_worker_init():
    import torch
    torch.set_num_threads(1)


def fit_torch(args):
    import torch
    x, y, run, split = args
    torch.manual_seed(run['seed'])
    g = torch.Generator().manual_seed(run['seed'])
    xtr, xte = (torch.from_numpy(a) for a in standardized(x, split['train'], split['test']))
    ytr, yte = (torch.from_numpy(a) for a in scaled_targets(y, split))
    if REGRESSION:
        ytr, yte = ytr.unsqueeze(1), yte.unsqueeze(1)
    units, outputs = run['units'], 1 if REGRESSION else int(y.max()) + 1
    model = torch.nn.Sequential(torch.nn.Linear(x.shape[1], units), torch.nn.ReLU(), torch.nn.Linear(units, outputs)).double()
    for m in model:
        if isinstance(m, torch.nn.Linear):  # mlplab's he_uniform: U(-sqrt(6 / fan_in), +), biases 0
            torch.nn.init.kaiming_uniform_(m.weight, nonlinearity='relu')
            torch.nn.init.zeros_(m.bias)
    opt = torch.optim.Adam(model.parameters(), lr=run['learning_rate'])
    lossf = torch.nn.MSELoss() if REGRESSION else torch.nn.CrossEntropyLoss()
    n, b = xtr.shape[0], spec['batch_size']
    for _ in range(spec['epochs']):
        perm = torch.randperm(n, generator=g)
        for s in range(0, n, b):
            i = perm[s:s + b]
            opt.zero_grad()
            lossf(model(xtr[i]), ytr[i]).backward()
            opt.step()
    with torch.no_grad():
        out = model(xte)
        return r2(out.numpy(), yte.numpy()) if REGRESSION else float((out.argmax(1) == yte).double().mean())


def main():
    x, y = load()
    splits = {int(k): {p: np.array(v, dtype=np.int64) for p, v in s.items()} for k, s in spec['splits'].items()}
    runs = spec['runs']
    t0 = time.perf_counter()
    if peer == 'sklearn':
        from joblib import Parallel, delayed
        scores = Parallel(n_jobs=JOBS)(delayed(fit_sklearn)(x, y, r, splits[r['seed']]) for r in runs)
    elif peer == 'torch':
        import multiprocessing
        # NOTE: fork before torch is imported here (the workers import it, one thread each).
        with multiprocessing.get_context('fork').Pool(JOBS, initializer=torch_worker_init) as pool:
            scores = pool.map(fit_torch, [(x, y, r, splits[r['seed']]) for r in runs], chunksize=1)
    else:
        raise SystemExit(f'unknown peer {peer}')
    fit = time.perf_counter() - t0
    done = [s for s in scores if s == s]
    print(json.dumps({'peer': peer, 'runs': len(runs), 'metric': 'test_r2' if REGRESSION else 'test_accuracy', 'mean': sum(done) / len(done),
                      'completed': len(done), 'fit_seconds': fit}), flush=True)


if __name__ == '__main__':
    main()
