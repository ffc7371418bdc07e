#!/usr/bin/python3
"""The oracle for src/metrics.ts on edge cases: scikit-learn's values, written to
test/fixtures/metrics-sklearn.json, which test/data/metrics-sklearn.test.ts compares with.

Run with Debian's python3 (it has sklearn; the pyenv python3 on PATH does not):

    /usr/bin/python3 scripts/oracles/metrics-sklearn.py

Each case gives the predictions and targets (rows of outputs) and what scikit-learn says of them: r2_score
(uniform average over outputs, force_finite), mean_squared_error(squared=False), mean_absolute_error.

Constant target columns: r2_score scores them 1 when predicted exactly, else 0 (force_finite), but it decides
"constant" by its mean's squared deviations being exactly 0, so for some values and lengths its own rounding of
the mean makes a tiny denominator and an R² of -1e33 (numpy sums one column pairwise, several columns row by
row). The constant cases here are ones where scikit-learn's mean is the value exactly (asserted below), so it
gives its documented 0 or 1.
"""

import json
import os

import numpy as np
import sklearn
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), '..', '..'))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'metrics-sklearn.json')


def regression(name, pred, target):
    p, t = np.array(pred, dtype=float), np.array(target, dtype=float)
    mean = np.average(t, axis=0)  # as r2_score computes it
    for c in range(t.shape[1]):
        if np.all(t[:, c] == t[0, c]):
            assert mean[c] == t[0, c], f'{name}: the mean of constant column {c} is not its value'
    return {'name': name, 'pred': p.tolist(), 'target': t.tolist(),
            'r2': float(r2_score(t, p)), 'rmse': float(mean_squared_error(t, p, squared=False)),
            'mae': float(mean_absolute_error(t, p))}


def col(v):
    return [[x] for x in v]


def main():
    rng = np.random.default_rng(11)
    varying = rng.normal(3, 2, 10)
    cases = [
        # Ten rows of 0.1: numpy's pairwise sum gives 1.0 exactly, a left-to-right sum 0.9999999999999999.
        regression('constant 0.1, predicted off', col([0.1 + 0.5] * 10), col([0.1] * 10)),
        regression('constant 0.1, predicted exactly', col([0.1] * 10), col([0.1] * 10)),
        regression('constant 170.3, predicted off', col(170.3 + rng.normal(0, 1, 10)), col([170.3] * 10)),
        regression('constant 0.7 (16 rows), predicted off', col([0.8] * 16), col([0.7] * 16)),
        regression('two outputs, the first constant', np.c_[[0.5 + 0.01 * i for i in range(10)], varying + rng.normal(0, 0.5, 10)].tolist(),
                   np.c_[[0.5] * 10, varying].tolist()),
    ]
    with open(OUT, 'w') as f:
        json.dump({'_generated_by': 'scripts/oracles/metrics-sklearn.py', '_sklearn': sklearn.__version__, 'regression': cases}, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
