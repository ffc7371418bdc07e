"""scikit-learn's cross-validated accuracy of the network in experiments/iris-cv.yaml, for its description:
5-fold StratifiedKFold (shuffled, random_state = seed) x seeds 0-4, cross_val_score of a pipeline that
standardizes the inputs on each fold's training rows (as mlplab does) and fits an MLPClassifier of the same
shape (32 relu units, softmax output), optimizer (Adam, learning rate 0.01, no weight decay), batch size 16 and
200 epochs (no early stop: tol 0). Folds, initial weights and batch order are scikit-learn's own, so the runs
are alike, not identical: the two means are to be compared within their intervals.
Prints JSON {"scores", "n", "mean", "std", "ci95"} (ci95: Student's t over the 25 fold scores).
Usage: /usr/bin/python3 scripts/oracles/iris-cv-sklearn.py > test/fixtures/iris-cv-sklearn.json
"""
import csv, json, os, warnings

import numpy as np
from scipy import stats
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

root = os.path.join(os.path.dirname(__file__), '..', '..')
with open(os.path.join(root, 'data', 'iris.csv')) as f:
    rows = list(csv.DictReader(f))
features = [c for c in rows[0] if c != 'species']
x = np.array([[float(r[c]) for c in features] for r in rows])
y = np.array([r['species'] for r in rows])

scores = []
for seed in range(5):
    mlp = MLPClassifier(hidden_layer_sizes=(32,), activation='relu', solver='adam', alpha=0.0, batch_size=16,
                        learning_rate_init=0.01, max_iter=200, shuffle=True, random_state=seed, tol=0.0,
                        n_iter_no_change=201)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # ConvergenceWarning: max_iter reached, as intended
        scores += [float(s) for s in cross_val_score(make_pipeline(StandardScaler(), mlp), x, y, cv=folds)]

n = len(scores)
mean = float(np.mean(scores))
std = float(np.std(scores, ddof=1))
half = float(stats.t.ppf(0.975, n - 1) * std / np.sqrt(n))
print(json.dumps({'scores': scores, 'n': n, 'mean': mean, 'std': std, 'ci95': [mean - half, mean + half]}, indent=2))
