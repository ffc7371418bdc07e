#!/usr/bin/python3
"""The oracle for the order of text class labels (src/data/encode.ts encodeLabels): scikit-learn's LabelEncoder
(np.unique: strings ordered by Unicode code point). The label sets mix characters inside and outside the Basic
Multilingual Plane: JavaScript's < compares UTF-16 code units, which put a character above U+FFFF (two surrogates,
from U+D800) before one from U+E000 to U+FFFF, such as the fullwidth 'Ａ' (U+FF21) or a private-use character.
Recorded: classes_ and each label's index (transform). Written to test/fixtures/label-order-sklearn.json, which
test/data/encode.test.ts compares with.

Run with Debian's python3 (it has scikit-learn; the pyenv python3 on PATH does not):

    /usr/bin/python3 scripts/oracles/label-order-sklearn.py
"""

import json
import os

from sklearn.preprocessing import LabelEncoder

CASES = [
    ["\uff21", "\U0001f600", "b", "\uff21"],
    ["\U0001f600", "\ue000", "z", "\U00010000", "\uffff", "a"],
    ["cat", "Cat", "\u00e9", "e", "\U0001d400"],
]

out = []
for labels in CASES:
    enc = LabelEncoder().fit(labels)
    out.append({"labels": labels, "classes": enc.classes_.tolist(), "index": enc.transform(labels).tolist()})

path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "label-order-sklearn.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(out, f, indent=1, ensure_ascii=True)
    f.write("\n")
