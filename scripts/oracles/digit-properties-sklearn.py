"""scikit-learn's counterpart of experiments/digit-properties.yaml, for its description: for seeds 0-4, a
stratified (by label combination, as mlplab's multilabel split) 80/20 train_test_split with random_state = seed,
StandardScaler fitted on the training rows, and an MLPClassifier of the same shape (32 relu units, one sigmoid
output per label: MLPClassifier's multilabel mode), optimizer (Adam, learning rate 0.003, no weight decay), batch
size 32 and 30 epochs (no early stop: tol 0). Splits, initial weights and batch order are scikit-learn's own, so
the runs are alike, not identical: the means are to be compared within their intervals.
Prints JSON {"seeds", "subset_accuracy", "hamming_accuracy"}, each score with "scores", "mean", "std" (sample)
and "ci95_half" (Student's t over the 5 seeds).
Usage: /usr/bin/python3 scripts/oracles/digit-properties-sklearn.py
"""
import csv, json, os, warnings

import numpy as np
from scipy import stats
from sklearn.metrics import accuracy_score, hamming_loss
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

root = os.path.join(os.path.dirname(__file__), '..', '..')
with open(os.path.join(root, 'data', 'digit-properties.csv')) as f:
    rows = list(csv.DictReader(f))
labels = ['even', 'large', 'prime']
features = [c for c in rows[0] if c not in labels]
x = np.array([[float(r[c]) for c in features] for r in rows])
y = np.array([[int(float(r[c])) for c in labels] for r in rows])
combination = [''.join(map(str, row)) for row in y]

seeds = list(range(5))
subset, hamming = [], []
for seed in seeds:
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.2, random_state=seed, stratify=combination)
    scaler = StandardScaler().fit(xtr)
    mlp = MLPClassifier(hidden_layer_sizes=(32,), activation='relu', solver='adam', alpha=0.0, batch_size=32,
                        learning_rate_init=0.003, max_iter=30, shuffle=True, random_state=seed, tol=0.0,
                        n_iter_no_change=31)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # ConvergenceWarning: max_iter reached, as intended
        mlp.fit(scaler.transform(xtr), ytr)
    predicted = mlp.predict(scaler.transform(xte))
    subset.append(float(accuracy_score(yte, predicted)))
    hamming.append(float(1 - hamming_loss(yte, predicted)))


def summary(scores):
    n = len(scores)
    std = float(np.std(scores, ddof=1))
    return {'scores': scores, 'mean': float(np.mean(scores)), 'std': std, 'ci95_half': float(stats.t.ppf(0.975, n - 1) * std / np.sqrt(n))}


print(json.dumps({'seeds': seeds, 'subset_accuracy': summary(subset), 'hamming_accuracy': summary(hamming)}, indent=2))
