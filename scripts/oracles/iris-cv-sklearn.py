"""scikit-learn's cross-validated accuracy of the network in experiments/iris-cv.yaml, for its description:
5-fold StratifiedKFold (shuffled, random_state = seed) x seeds 0-4, cross_val_score of a pipeline that
standardizes the inputs on each fold's training rows (as mlplab does) and fits an MLPClassifier of the same
shape (32 relu units, softmax output), optimizer (Adam, learning rate 0.01, no weight decay), batch size 16 and
200 epochs (no early stop: tol 0). Folds, initial weights and batch order are scikit-learn's own, so the runs
are alike, not identical: the two means are to be compared within their intervals.
Prints JSON {"scores", "n", "mean", "std", "ci95"} (ci95: Student's t over the 25 fold scores), and
"stratified_kfold": for a few label columns, StratifiedKFold's test folds counted by class (counts[i][c]: rows of
class c in the i-th split's test fold, classes numbered as in "labels"), which test/cv-sklearn.test.ts holds
mlplab's data.split.folds to. Those counts do not depend on random_state (the shuffle picks which rows of a class,
not how many); they are taken here from split() itself, with random_state 0.
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


def fold_counts(name, labels, k):
    """StratifiedKFold(k)'s test folds of these labels (ints), counted by label."""
    labels = np.array(labels)
    classes = int(labels.max()) + 1
    splits = StratifiedKFold(n_splits=k, shuffle=True, random_state=0).split(np.zeros((len(labels), 1)), labels)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # a class with fewer rows than folds: intended, some folds get none
        counts = [np.bincount(labels[test], minlength=classes).tolist() for _, test in splits]
    return {'name': name, 'folds': k, 'labels': labels.tolist(), 'counts': counts}


species = sorted(set(y))  # setosa, versicolor, virginica: the file's order of first appearance too
iris_labels = [species.index(s) for s in y]
# Iris less a stratified test split of 0.2 (10 rows of each species): 40 of each, in file order.
iris_rest = [c for i, c in enumerate(iris_labels) if i % 50 >= 10]
# Uneven classes (41, 23, 9, 5, 2 rows): sorted by class, so order of first appearance = class number; and
# shuffled so that class 3 appears first, then 1, 4, 0, 2 (scikit-learn then deals the classes in that order).
uneven = [c for c, size in enumerate([41, 23, 9, 5, 2]) for _ in range(size)]
shuffled = list(np.random.default_rng(11).permutation(uneven))
shuffled.remove(3), shuffled.remove(1), shuffled.remove(4), shuffled.remove(0), shuffled.remove(2)
shuffled = [3, 1, 4, 0, 2] + [int(c) for c in shuffled]
stratified = [
    fold_counts('iris', iris_labels, 5),
    fold_counts('iris after test 0.2', iris_rest, 7),
    fold_counts('uneven, sorted', uneven, 3),
    fold_counts('uneven, sorted', uneven, 7),
    fold_counts('uneven, first appearance 3 1 4 0 2', shuffled, 7),
]
print(json.dumps({'scores': scores, 'n': n, 'mean': mean, 'std': std, 'ci95': [mean - half, mean + half], 'stratified_kfold': stratified}, indent=2))
