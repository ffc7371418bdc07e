"""The rows of each cross-validation fold (data.split.folds) of a few data sets, reproduced from the split rule the
guide states (chapter 10, Cross-validation; chapter 4, Splits) with a generator written here from its published
definition, not from mlplab's code: xoshiro128** 1.1 (Blackman and Vigna), its state filled by SplitMix32 from the
seed and the stream's number (split 3, folds 9); an integer below n by rejection of the top 2^32 mod n values;
Fisher-Yates from the last item down. The rule: the test rows first, per class (classes sorted; one group for
regression) shuffled, round(test * c) half up, at most c - 1, to test; the rest, ascending, shuffled per class from
the folds stream and dealt into the K folds in turn, the dealing going on from class to class (StratifiedKFold's
rule). For each stratified case the script asserts that each fold holds as many rows of each class as
scikit-learn's StratifiedKFold gives on the same rows (classes here appear in sorted order, so fold by fold).
test/fold-rows.test.ts holds mlplab's folds (loadData, run.json's rows, evaluate --run) to this fixture.
Usage: /usr/bin/python3 scripts/oracles/fold-rows.py > test/fixtures/fold-rows.json
"""
import csv, json, math, os

import numpy as np
from sklearn.model_selection import StratifiedKFold

M = 0xFFFFFFFF


def splitmix32(state):
    a = [state & M]

    def nxt():
        a[0] = (a[0] + 0x9E3779B9) & M
        t = a[0] ^ (a[0] >> 16)
        t = (t * 0x21F0AAAD) & M
        t ^= t >> 15
        t = (t * 0x735A2D97) & M
        return (t ^ (t >> 15)) & M

    return nxt


def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M


class Xoshiro128ss:
    def __init__(self, seed, stream):
        lo, hi = seed & M, (seed // 2**32) & M
        mix = splitmix32(lo ^ splitmix32(hi ^ (((stream + 1) * 0x85EBCA6B) & M))())
        self.s = [mix() for _ in range(4)]
        if not any(self.s):
            self.s[0] = 1

    def next32(self):
        s0, s1, s2, s3 = self.s
        result = (rotl((s1 * 5) & M, 7) * 9) & M
        t = (s1 << 9) & M
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        self.s = [s0, s1, s2, rotl(s3, 11)]
        return result

    def below(self, n):
        limit = 2**32 - 2**32 % n
        while True:
            x = self.next32()
            if x < limit:
                return x % n

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]


SPLIT, FOLDS = 3, 9


def by_class(strata):
    groups = {}
    for i, c in enumerate(strata):
        groups.setdefault(c, []).append(i)
    return [groups[c] for c in sorted(groups)]


def test_split(n, fraction, rng, strata):
    if fraction == 0:
        return list(range(n)), []
    train, test = [], []
    for rows in [list(range(n))] if strata is None else by_class(strata):
        rng.shuffle(rows)
        k = math.floor(fraction * len(rows) + 0.5)
        if strata is not None:
            k = min(k, len(rows) - 1)
        test += rows[:k]
        train += rows[k:]
    return sorted(train), sorted(test)


def fold_of(n, folds, rng, strata):
    fold, turn = [0] * n, 0
    for rows in [list(range(n))] if strata is None else by_class(strata):
        rng.shuffle(rows)
        for r in rows:
            fold[r] = turn
            turn = (turn + 1) % folds
    return fold


def case(name, path, target, numeric, stratified, seed, test, folds):
    root = os.path.join(os.path.dirname(__file__), '..', '..')
    with open(os.path.join(root, 'data', path)) as f:
        rows = list(csv.DictReader(f))
    labels = [float(r[target]) if numeric else r[target] for r in rows]
    classes = sorted(set(labels))
    strata = [classes.index(v) for v in labels] if stratified else None
    train, held = test_split(len(rows), test, Xoshiro128ss(seed, SPLIT), strata)
    of = fold_of(len(train), folds, Xoshiro128ss(seed, FOLDS), None if strata is None else [strata[r] for r in train])
    validation = [sorted(train[i] for i in range(len(train)) if of[i] == k) for k in range(folds)]
    if stratified:
        y = np.array([strata[r] for r in train])
        sk = [np.bincount(y[v], minlength=len(classes)).tolist() for _, v in StratifiedKFold(folds, shuffle=True, random_state=0).split(y, y)]
        ours = [np.bincount([strata[r] for r in v], minlength=len(classes)).tolist() for v in validation]
        assert ours == sk, (name, seed, ours, sk)
    return {'name': name, 'path': path, 'target': target, 'seed': seed, 'test': test, 'folds': folds,
            'stratified': stratified, 'test_rows': held, 'validation_rows': validation}


cases = [
    case('iris', 'iris.csv', 'species', False, True, 0, 0, 5),
    case('iris', 'iris.csv', 'species', False, True, 3, 0, 5),
    case('wine', 'wine.csv', 'cultivar', True, True, 0, 0.2, 4),
    case('wine', 'wine.csv', 'cultivar', True, True, 1, 0.2, 4),
    case('diabetes', 'diabetes.csv', 'progression', True, False, 3, 0.25, 3),
]
print(json.dumps({'cases': cases}, separators=(',', ':')))
