#!/usr/bin/python3
"""The oracle for data.preprocess (src/data/preprocess.ts): scikit-learn's StandardScaler and MinMaxScaler fitted
on a training matrix and applied to other rows. The columns: ordinary values, a constant that float64 cannot hold
exactly (0.1), a column that is constant but for rounding (0.3 and 0.1 + 0.2, which differ in the last bit:
StandardScaler calls it constant, _is_constant_feature, and scales it by 1), values around 1e9 with a spread of
1e-3, small integers, and a column with one value of 1e-16 among zeros (not constant: its variance is far above
the rounding bound). Recorded: StandardScaler's mean_, scale_ and transform; MinMaxScaler's data_min_ and
data_range_ (its transform, X * scale_ + min_, loses digits to cancellation on the 1e9 column, and it calls a
range under 10 eps constant whatever the values' size; mlplab computes (x - min) / range and treats only an
exactly constant column as constant). Written to test/fixtures/scalers-sklearn.json, which
test/data/preprocess.test.ts compares with.

Run with Debian's python3 (it has scikit-learn; the pyenv python3 on PATH does not):

    /usr/bin/python3 scripts/oracles/scalers-sklearn.py
"""

import json
import os

import numpy as np
import sklearn
from sklearn.preprocessing import MinMaxScaler, StandardScaler

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "scalers-sklearn.json")


def matrix(n, rng):
    return np.column_stack(
        [
            rng.normal(size=n),
            np.full(n, 0.1),
            np.array([0.3 if i % 2 else 0.1 + 0.2 for i in range(n)]),
            1e9 + rng.normal(size=n) * 1e-3,
            rng.integers(0, 5, size=n).astype(float),
            np.array([0.0] * (n - 1) + [1e-16]),
        ]
    )


def main():
    rng = np.random.default_rng(0)
    train, other = matrix(12, rng), matrix(5, rng)
    standard = StandardScaler().fit(train)
    minmax = MinMaxScaler().fit(train)
    fixture = {
        "sklearn": sklearn.__version__,
        "train": train.tolist(),
        "other": other.tolist(),
        "standardize": {"mean": standard.mean_.tolist(), "scale": standard.scale_.tolist(), "other": standard.transform(other).tolist()},
        "minmax": {"data_min": minmax.data_min_.tolist(), "data_range": minmax.data_range_.tolist()},
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
