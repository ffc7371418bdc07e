"""Peers for `npm run bench`: PyTorch (float64) and scikit-learn MLPs train the workloads that
bench/bench.ts exported to a folder (meta.json plus raw little-endian arrays): same data, same initial
weights, same batches in the same order (PyTorch; scikit-learn shuffles with its own generator), same
epochs. Prints one JSON object per line: {"peer", "workload", "seconds": [...], "loss", "accuracy"} or
{"peer", "skipped": reason}. Usage: python3 bench/peers.py FOLDER REPS [THREADS]
THREADS (default 1): PyTorch's intra-op threads; bench.ts sets OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and
MKL_NUM_THREADS to the same for numpy's BLAS (scikit-learn), and OMP_WAIT_POLICY=passive above 1 (else
PyTorch's OpenMP threads spin while OpenBLAS's work, and the two fight for the cores).
"""
import json, os, sys, time, warnings

folder, reps = sys.argv[1], int(sys.argv[2])
threads = int(sys.argv[3]) if len(sys.argv) > 3 else 1
meta = json.load(open(os.path.join(folder, 'meta.json')))


def emit(obj):
    print(json.dumps(obj), flush=True)


try:
    import numpy as np
except ImportError as e:
    emit({'peer': 'all', 'skipped': f'numpy not importable: {e}'})
    sys.exit(0)


def arr(name, dtype='<f8'):
    return np.fromfile(os.path.join(folder, name), dtype=dtype)


def load(w):
    x = arr(w['x']).reshape(w['rows'], w['inputs'])
    y = arr(w['y']).reshape(w['rows'], w['outputs'])
    params = [(arr(l['w']).reshape(l['nIn'], l['nOut']), arr(l['b'])) for l in w['layers']]
    order = arr(w['order'], '<i4').reshape(w['epochs'], w['rows']) if w['order'] else None
    return x, y, params, order


def accuracy(p, y):
    return float((p.argmax(1) == y.argmax(1)).mean())


def run_torch(w, x, y, params, order):
    import torch
    torch.set_num_threads(threads)
    acts = {'sigmoid': torch.nn.Sigmoid, 'tanh': torch.nn.Tanh, 'relu': torch.nn.ReLU}
    X, Y = torch.from_numpy(x), torch.from_numpy(y)
    times = []
    for _ in range(reps):
        mods = []
        for k, (l, (W, b)) in enumerate(zip(w['layers'], params)):
            lin = torch.nn.Linear(l['nIn'], l['nOut'], dtype=torch.float64)
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(W.T.copy()))
                lin.bias.copy_(torch.from_numpy(b))
            mods.append(lin)
            if k < len(params) - 1:
                mods.append(acts[l['activation']]())
        model = torch.nn.Sequential(*mods)
        o = w['optimizer']
        opt = (torch.optim.Adam(model.parameters(), lr=o['learning_rate']) if o['type'] == 'adam'
               else torch.optim.SGD(model.parameters(), lr=o['learning_rate'], momentum=o.get('momentum', 0)))
        lossf = torch.nn.CrossEntropyLoss() if w['loss'] == 'cross_entropy' else torch.nn.MSELoss()
        batch, rows = w['batch'], w['rows']
        idx = torch.from_numpy(order.astype(np.int64)) if order is not None else None
        t0 = time.perf_counter()
        for e in range(w['epochs']):
            for s in range(0, rows, batch):
                if idx is None:
                    xb, yb = X, Y
                else:
                    i = idx[e, s:s + batch]
                    xb, yb = X.index_select(0, i), Y.index_select(0, i)
                opt.zero_grad()
                loss = lossf(model(xb), yb)
                loss.backward()
                opt.step()
        times.append(time.perf_counter() - t0)
    with torch.no_grad():
        out = model(X)
        loss = float(lossf(out, Y))
    acc = accuracy(out.numpy(), y) if w['classify'] else None
    return times, loss, acc


def run_sklearn(w, x, y, params, order):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    hidden = w['layers'][:-1]
    acts = {hl['activation'] for hl in hidden}
    if len(acts) != 1:
        raise ValueError('scikit-learn uses one activation for all hidden layers')
    act = {'sigmoid': 'logistic', 'tanh': 'tanh', 'relu': 'relu'}[acts.pop()]
    o = w['optimizer']
    labels = y.argmax(1) if w['classify'] else y.ravel()
    times, model = [], None
    for _ in range(reps):
        kw = dict(hidden_layer_sizes=[hl['nOut'] for hl in hidden], activation=act, solver=o['type'], alpha=0.0,
                  batch_size=min(w['batch'], w['rows']), learning_rate_init=o['learning_rate'],
                  momentum=o.get('momentum', 0), nesterovs_momentum=False, shuffle=True, random_state=1, tol=0.0,
                  n_iter_no_change=w['epochs'] + 1, warm_start=True, max_iter=1)
        model = (MLPClassifier if w['classify'] else MLPRegressor)(**kw)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', ConvergenceWarning)
            model.fit(x, labels)  # creates its attributes; then our initial weights where the shapes agree
            for k, (W, b) in enumerate(params):
                if model.coefs_[k].shape == W.shape:
                    model.coefs_[k], model.intercepts_[k] = W.copy(), b.copy()
            model.max_iter = w['epochs']
            t0 = time.perf_counter()
            model.fit(x, labels)  # warm start: our weights, a fresh optimizer
            times.append(time.perf_counter() - t0)
    if w['classify']:
        p = model.predict_proba(x)
        loss = float(-np.log(np.maximum(p[np.arange(len(labels)), labels], 1e-300)).mean())
        return times, loss, float((p.argmax(1) == labels).mean())
    return times, float(((model.predict(x) - labels) ** 2).mean()), None


for peer, run, module in (('pytorch', run_torch, 'torch'), ('sklearn', run_sklearn, 'sklearn')):
    try:
        __import__(module)
    except ImportError as e:
        emit({'peer': peer, 'skipped': f'{module} not importable by {sys.executable}: {e}'})
        continue
    for w in meta['workloads']:
        try:
            times, loss, acc = run(w, *load(w))
            emit({'peer': peer, 'workload': w['name'], 'seconds': times, 'loss': loss, 'accuracy': acc})
        except Exception as e:  # one workload a peer cannot express must not hide the others
            emit({'peer': peer, 'workload': w['name'], 'skipped': f'{type(e).__name__}: {e}'})
