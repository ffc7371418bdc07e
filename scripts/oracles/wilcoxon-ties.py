#!/usr/bin/python3
"""The oracle for the Wilcoxon signed-rank p-value `mlplab compare` shows beside the paired t-test when the
paired values are accuracies: correct test rows over the test set's size, k/n. Two pairs whose accuracies differ
by the same number of rows have tied differences, but the floating-point differences k_a/n - k_b/n of those
pairs need not be equal (23/30 - 22/30 = 0.03333333333333344, 21/30 - 20/30 = 0.033333333333333326), so ties
must be seen through the rounding. scipy is asked here on the exact differences, the integers k_a - k_b (the
test is unchanged by the scale 1/n): method="exact" when they are nonzero, untied and at most 50, else
method="approx" (the normal approximation with the tie correction, zero differences dropped), the rule
docs/guide/10-comparing.md states. A loss-like metric's differences are taken as they are (loss_case below):
rounding them would tie near-ties that are not ties. Written to test/fixtures/wilcoxon-ties.json, which
test/compare-wilcoxon.test.ts compares with.

Run with Debian's python3 (it has scipy; the pyenv python3 on PATH does not):

    /usr/bin/python3 scripts/oracles/wilcoxon-ties.py
"""

import json
import os
import warnings

import numpy as np
import scipy
from scipy import stats

warnings.simplefilter("ignore")  # scipy's warning on small samples for the normal approximation; the value still counts
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "wilcoxon-ties.json")

# (test rows n, the top group's correct rows by seed, the other group's correct rows by seed)
CASES = [
    (30, [21, 23, 22, 23, 26, 23, 24, 20], [20, 22, 20, 21, 23, 20, 25, 22]),
    (30, [21, 23, 22, 23, 26, 23], [20, 22, 20, 21, 23, 20]),
    (30, [27, 28, 26, 29, 27, 25, 28, 27], [25, 26, 24, 27, 26, 24, 25, 24]),
    (45, [40, 41, 39, 44, 38, 42, 43, 40, 41, 37], [38, 40, 36, 41, 38, 39, 42, 37, 41, 38]),
    (30, [29, 27, 25, 26, 28, 24, 30], [28, 24, 20, 27, 22, 23, 29]),
    (30, [25, 25, 25, 25, 25, 25], [24, 23, 22, 21, 19, 30]),  # untied: exact
]


def case(n, top, other):
    d = np.array(other) - np.array(top)  # the other group minus the top one, as compare's pairs
    nz = d[d != 0]
    exact = len(nz) == len(d) and len(np.unique(np.abs(nz))) == len(nz) and len(d) <= 50
    r = stats.wilcoxon(d, method="exact" if exact else "approx")
    return {"rows": n, "top": top, "other": other, "p": float(r.pvalue), "method": "exact" if exact else "normal"}


# A loss-like metric (any real number, not counts over rows): differences that agree to 10 significant digits but
# not to the last bit are different numbers, and scipy, asked on the float differences themselves, ranks them
# apart: no ties, so the exact test. The top group's train_loss by seed, and the other group's differences from it.
LOSS_TOP = [0.412, 0.398, 0.431, 0.405, 0.42, 0.415, 0.401]
LOSS_SHIFT = [0.0123456789012, 0.0123456789049, 0.02, -0.005, 0.031, 0.017, 0.044]


def loss_case():
    top = LOSS_TOP
    other = (np.array(top) + np.array(LOSS_SHIFT)).tolist()
    d = np.array(other) - np.array(top)  # as compare subtracts: the other group minus the top one
    assert d[0] != d[1] and float(f"{d[0]:.9e}") == float(f"{d[1]:.9e}"), d[:2]  # near-ties: alike to 10 digits only
    assert len(np.unique(np.abs(d))) == len(d) and np.all(d != 0)
    r = stats.wilcoxon(d, method="exact")
    return {"top": top, "other": other, "p": float(r.pvalue), "method": "exact"}


def main():
    cases = [case(*c) for c in CASES]
    with open(OUT, "w") as f:
        json.dump({"scipy": scipy.__version__, "cases": cases, "loss": loss_case()}, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
