#!/usr/bin/env python3
"""The oracle for `mlplab evaluate`: scikit-learn's metric functions on the predictions mlplab wrote.

For each case in test/fixtures/evaluate/ (an experiment file and a labelled CSV), this script
  1. trains the experiment with mlplab and keeps its model as CASE.model.json (so the test needs no training),
  2. runs `mlplab predict` on the CSV and reads the predicted classes, labels, probabilities or values,
  3. computes the metrics from those predictions and the CSV's true targets with scikit-learn only
     (accuracy_score, hamming_loss, confusion_matrix, multilabel_confusion_matrix, precision_recall_fscore_support
     with zero_division=0, log_loss, r2_score, mean_squared_error, mean_absolute_error),
and writes them to test/fixtures/evaluate/expected.json, which test/evaluate-oracle.test.ts compares with
evaluate's output. Run it with Debian's python3 (python3-sklearn): /usr/bin/python3 scripts/oracles/evaluate-sklearn.py
It rewrites the model files and expected.json; commit both together.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import sklearn
from sklearn.datasets import make_moons
from sklearn.metrics import (accuracy_score, confusion_matrix, hamming_loss, log_loss, mean_absolute_error,
                             mean_squared_error, multilabel_confusion_matrix, precision_recall_fscore_support, r2_score)

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), '..', '..'))
FIX = os.path.join(ROOT, 'test', 'fixtures', 'evaluate')
DATA = os.path.join(ROOT, 'data')


def mlplab(*args):
    subprocess.run(['npx', 'tsx', os.path.join(ROOT, 'src', 'cli.ts'), *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def read_csv(path):
    with open(path, newline='') as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def column(header, rows, name, cast=str):
    i = header.index(name)
    return [cast(r[i]) for r in rows]


def write_xor_csv():
    # The four XOR rows and four points near them, one-hot targets as the inline data: y1 is class 0, y2 class 1.
    pts = [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0), (0.2, 0.1, 0), (0.1, 0.9, 1), (0.6, 0.45, 1), (0.55, 0.6, 0)]
    with open(os.path.join(FIX, 'xor-onehot.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['x1', 'x2', 'y1', 'y2'])
        for a, b, c in pts:
            w.writerow([a, b, 1 - c, c])


def write_moons_csv():
    x, y = make_moons(n_samples=120, noise=0.25, random_state=7)
    with open(os.path.join(FIX, 'moons.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['x1', 'x2', 'class'])
        for (a, b), c in zip(x, y):
            w.writerow([repr(float(a)), repr(float(b)), int(c)])


def report(y_true, y_pred, labels, names):
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    per = [{'class': n, 'precision': float(p[i]), 'recall': float(r[i]), 'f1': float(f[i]), 'support': int(s[i])} for i, n in enumerate(names)]
    out = {'per_class': per}
    for avg in ('macro', 'weighted'):
        ap, ar, af, _ = precision_recall_fscore_support(y_true, y_pred, labels=labels, average=avg, zero_division=0)
        out[f'{avg}_avg'] = {'precision': float(ap), 'recall': float(ar), 'f1': float(af), 'support': int(np.sum(s))}
    return out


def classes_case(model, header, rows, pred_header, pred_rows):
    classes = model['classes']
    names = [str(c) for c in classes]
    predicted = column(pred_header, pred_rows, 'predicted')
    y_pred = [names.index(p) for p in predicted]
    probs = np.array([[float(v) for v in (r[pred_header.index(f'p_{n}')] for n in names)] for r in pred_rows]) if model['loss'] != 'mse' else None
    if 'label_column' in model and model['label_column'] in header:
        y_true = [names.index(v) for v in column(header, rows, model['label_column'])]
    elif model['kind'] == 'binary':
        y_true = [1 if v > model['threshold'] else 0 for v in column(header, rows, model['targets'][0], float)]
    else:  # one-hot target columns
        onehot = np.array([column(header, rows, t, float) for t in model['targets']]).T
        y_true = list(np.argmax(onehot, axis=1))
    labels = list(range(len(classes)))
    out = {'accuracy': float(accuracy_score(y_true, y_pred)),
           'confusion': {'classes': classes, 'matrix': confusion_matrix(y_true, y_pred, labels=labels).tolist()},
           'classification_report': report(y_true, y_pred, labels, classes)}
    if probs is not None:
        out['loss'] = float(log_loss(y_true, probs, labels=labels))
    return out


def multilabel_case(model, header, rows, pred_header, pred_rows):
    labels = model['targets']
    y_true = np.array([column(header, rows, l, float) for l in labels]).T.astype(int)
    y_pred = np.array([column(pred_header, pred_rows, l, int) for l in labels]).T
    probs = np.array([column(pred_header, pred_rows, f'p_{l}', float) for l in labels]).T
    mcm = multilabel_confusion_matrix(y_true, y_pred)
    return {'accuracy': float(accuracy_score(y_true, y_pred)), 'hamming_accuracy': float(1 - hamming_loss(y_true, y_pred)),
            'loss': float(np.mean([log_loss(y_true[:, j], probs[:, j], labels=[0, 1]) for j in range(len(labels))])),
            'confusion': {'labels': labels, 'matrices': mcm.tolist()},
            'classification_report': report(y_true, y_pred, list(range(len(labels))), labels)}


def regression_case(model, header, rows, pred_header, pred_rows):
    targets = model['targets']
    y = np.array([column(header, rows, t, float) for t in targets]).T
    yhat = np.array([column(pred_header, pred_rows, t, float) for t in targets]).T
    scale = np.array(model['target_preprocess']['scale']) if 'target_preprocess' in model else np.ones(len(targets))
    return {'loss': float(mean_squared_error(y / scale, yhat / scale)), 'r2': float(r2_score(y, yhat)),
            'rmse': float(mean_squared_error(y, yhat, squared=False)), 'mae': float(mean_absolute_error(y, yhat))}


CASES = [
    ('iris', os.path.join(DATA, 'iris.csv')),
    ('xor-onehot', os.path.join(FIX, 'xor-onehot.csv')),
    ('moons', os.path.join(FIX, 'moons.csv')),
    ('digit-properties', os.path.join(DATA, 'digit-properties.csv')),
    ('body', os.path.join(DATA, 'body.csv')),
]


def main():
    write_xor_csv()
    write_moons_csv()
    expected = {'_generated_by': 'scripts/oracles/evaluate-sklearn.py', '_sklearn': sklearn.__version__, 'cases': {}}
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in CASES:
            mlplab('run', os.path.join(FIX, f'{name}.yaml'), '--out', tmp, '--quiet')
            model_file = os.path.join(FIX, f'{name}.model.json')
            with open(os.path.join(tmp, name, 'model.json')) as src, open(model_file, 'w') as dst:
                dst.write(src.read())
            with open(model_file) as f:
                model = json.load(f)
            pred_file = os.path.join(tmp, f'{name}.predictions.csv')
            mlplab('predict', model_file, data, '--out', pred_file, '--quiet')
            header, rows = read_csv(data)
            pred_header, pred_rows = read_csv(pred_file)
            kind = model['kind']
            case = {'regression': regression_case, 'multilabel': multilabel_case}.get(kind, classes_case)(model, header, rows, pred_header, pred_rows)
            rel = lambda p: os.path.relpath(p, FIX)
            expected['cases'][name] = {'model': rel(model_file), 'data': rel(data), 'kind': kind, 'count': len(rows), **case}
            print(f'{name}: {kind}, {len(rows)} rows', file=sys.stderr)
    with open(os.path.join(FIX, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
