"""scikit-learn's counterparts of experiments/iris.yaml, wine.yaml and digits.yaml, for their descriptions and
guide 11's table ("scikit-learn's MLP with the same shape"): for seeds 0-9, a stratified 80/20 train_test_split
with random_state = seed, StandardScaler fitted on the training rows, and an MLPClassifier with one hidden layer of
32 relu units (digits too, whose mlplab file has 64) and scikit-learn's defaults otherwise (Adam at 0.001, batches
of 200, at most 200 epochs, alpha 1e-4, its own stopping rule), random_state = seed. Splits, initial weights and
batch order are scikit-learn's own: the means are to be compared within their spreads, not digit for digit.
Prints JSON: per experiment, "scores" (test accuracy per seed), "mean", "std" (sample) and "ci95_half".
Usage: /usr/bin/python3 scripts/oracles/real-data-sklearn.py
"""
import csv, json, os, warnings

import numpy as np
from scipy import stats
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

root = os.path.join(os.path.dirname(__file__), '..', '..')
SETUPS = {'iris': ('iris.csv', 'species'), 'wine': ('wine.csv', 'cultivar'), 'digits': ('digits.csv', 'digit')}

out = {}
for name, (file, target) in SETUPS.items():
    with open(os.path.join(root, 'data', file)) as f:
        rows = list(csv.DictReader(f))
    features = [c for c in rows[0] if c != target]
    x = np.array([[float(r[c]) for c in features] for r in rows])
    y = np.array([r[target] for r in rows])
    scores = []
    for seed in range(10):
        xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.2, random_state=seed, stratify=y)
        scaler = StandardScaler().fit(xtr)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')  # ConvergenceWarning at max_iter
            mlp = MLPClassifier(hidden_layer_sizes=(32,), activation='relu', random_state=seed).fit(scaler.transform(xtr), ytr)
        scores.append(float(mlp.score(scaler.transform(xte), yte)))
    std = float(np.std(scores, ddof=1))
    out[name] = {'scores': scores, 'mean': float(np.mean(scores)), 'std': std,
                 'ci95_half': float(stats.t.ppf(0.975, len(scores) - 1) * std / np.sqrt(len(scores)))}
print(json.dumps(out, indent=2))
