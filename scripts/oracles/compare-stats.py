#!/usr/bin/python3
"""The oracle for the numbers of `mlplab compare`'s table that scipy-stats.py does not cover: each group's mean
and standard deviation as the table and compare.csv state them (numpy, ddof=1), and the statistics of groups of
cross-validation runs, which share training rows: Nadeau and Bengio's corrected resampled t-test ("Inference
for the generalization error", Machine Learning 52, 2003). Written to test/fixtures/compare-stats.json, which
test/compare-stats.test.ts compares with (1e-10 relative).

Run with Debian's python3 (it has numpy and scipy; the pyenv python3 on PATH does not):

    /usr/bin/python3 scripts/oracles/compare-stats.py

scipy has no corrected resampled t-test, so it is computed here from its formula: J scores (a group's runs:
K folds x seeds) with sample variance s2 (numpy, ddof=1) give the variance of their mean as
s2 * (1/J + n_test/n_train) instead of s2 / J, with n_test/n_train = 1/(K - 1) for K folds (one fold's rows
over the other K - 1 folds'); t = mean / sqrt(that), J - 1 degrees of freedom, p = 2 * scipy.stats.t.sf(|t|),
the interval mean -/+ q * sqrt(that) with q the t quantile at 1 - alpha/2 (quantile() below). Welch's test of two such groups uses each
mean's corrected variance and the Welch-Satterthwaite degrees of freedom from them. The same code with the
correction left out (n_test/n_train = 0) is checked here against scipy's ttest_rel, ttest_ind(equal_var=False)
and t.interval, so the formulas are scipy's but for the one factor.

scipy 1.10's t.ppf is off by up to 4e-10 relatively at few degrees of freedom (t.ppf(0.975, 5) by 3.8e-10,
against mpmath at 40 digits), more than the 1e-10 the test asks of the intervals' ends, so quantile() takes
scipy's t.isf and polishes it with two Newton steps on scipy's own t.sf and t.pdf (both good to about 1e-16):
within 3e-16 of mpmath for the degrees of freedom used here.
"""

import json
import math
import os
import sys
import warnings

import numpy as np
import scipy
from scipy import stats

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "compare-stats.json")


def quantile(p, df):
    """The t with P(T <= t) = p (p > 1/2): scipy's t.isf, polished as the module says."""
    x = stats.t.isf(1 - p, df)
    for _ in range(2):
        x = x + (stats.t.sf(x, df) - (1 - p)) / stats.t.pdf(x, df)
    assert abs(x - stats.t.ppf(p, df)) <= 1e-9 * x  # a polish, not another quantile
    return float(x)


def ratio(folds):
    """n_test / n_train of a run of a K-fold cross-validation; 0 without folds."""
    return 0.0 if folds is None else 1.0 / (folds - 1)


def mean_variance(xs, r):
    return float(np.var(xs, ddof=1)) * (1.0 / len(xs) + r)


def summary(xs, folds, alphas):
    """A group's mean, std (ddof=1) and the mean's interval at each alpha (corrected for folds)."""
    m = float(np.mean(xs))
    se = math.sqrt(mean_variance(xs, ratio(folds)))
    out = {"values": xs, "folds": folds, "mean": m, "std": float(np.std(xs, ddof=1)), "ci": {}}
    for alpha in alphas:
        half = quantile(1 - alpha / 2, len(xs) - 1) * se
        out["ci"][str(alpha)] = [m - half, m + half]
    return out


def paired(a, b, folds, alpha):
    """The (corrected) paired t-test of a - b."""
    d = np.subtract(a, b)
    j = len(d)
    diff = float(np.mean(d))
    se = math.sqrt(mean_variance(d, ratio(folds)))
    t = diff / se
    half = quantile(1 - alpha / 2, j - 1) * se
    return {"diff": diff, "t": t, "df": j - 1, "p": float(2 * stats.t.sf(abs(t), j - 1)), "low": diff - half, "high": diff + half}


def welch(a, b, folds_a, folds_b, alpha):
    """Welch's t-test of mean(a) - mean(b), each mean's variance corrected for its folds."""
    va, vb = mean_variance(a, ratio(folds_a)), mean_variance(b, ratio(folds_b))
    diff = float(np.mean(a) - np.mean(b))
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    t = diff / se
    half = quantile(1 - alpha / 2, df) * se
    return {"diff": diff, "t": t, "df": df, "p": float(2 * stats.t.sf(abs(t), df)), "low": diff - half, "high": diff + half}


def close(x, y, what, tol=1e-12):
    assert abs(x - y) <= tol * max(1.0, abs(y)), f"{what}: {x} vs {y}"


def check_uncorrected(a, b):
    """Without the correction the formulas above are scipy's tests."""
    r = stats.ttest_rel(a, b)
    ci = r.confidence_interval(0.95)
    p = paired(a, b, None, 0.05)
    close(p["t"], r.statistic, "paired t")
    close(p["p"], r.pvalue, "paired p")
    close(p["low"], ci.low, "paired low")
    close(p["high"], ci.high, "paired high")
    w = welch(a, b, None, None, 0.05)
    r = stats.ttest_ind(a, b, equal_var=False)
    close(w["t"], r.statistic, "welch t")
    close(w["p"], r.pvalue, "welch p")
    s = summary(a, None, [0.05])
    lo, hi = stats.t.interval(0.95, len(a) - 1, loc=np.mean(a), scale=stats.sem(a))
    close(s["ci"]["0.05"][0], lo, "interval low")
    close(s["ci"]["0.05"][1], hi, "interval high")


# Validation accuracies of 5-fold cross-validations of iris (30 rows a fold: k/30), by seed then fold.
# top and other ran seeds 0-2 (paired by seed and fold); late ran seeds 5-7 (Welch's test).
TOP_OTHER_SEEDS, LATE_SEEDS, FOLDS = [0, 1, 2], [5, 6, 7], 5
OTHER = [27, 28, 29, 27, 28, 29, 28, 27, 29, 28, 27, 28, 29, 28, 27]
SHIFT = [1, 0, 1, 2, 0, -1, 1, 1, 0, 1, 0, 2, 1, -1, 1]
LATE = [26, 28, 27, 29, 28, 27, 28, 26, 28, 27, 29, 28, 27, 28, 27]


def cross_validation():
    top = [(o + s) / 30 for o, s in zip(OTHER, SHIFT)]
    other = [o / 30 for o in OTHER]
    late = [x / 30 for x in LATE]
    check_uncorrected(top, other)
    alphas = [0.05, 0.1]
    out = {
        "folds": FOLDS,
        "seeds": {"top": TOP_OTHER_SEEDS, "other": TOP_OTHER_SEEDS, "late": LATE_SEEDS},
        "groups": {name: summary(xs, FOLDS, alphas) for name, xs in [("top", top), ("other", other), ("late", late)]},
        "paired": {str(a): paired(other, top, FOLDS, a) for a in alphas},  # the table's direction: group - top
        "welch": {str(a): welch(late, top, FOLDS, FOLDS, a) for a in alphas},
        "uncorrected_paired_p": float(stats.ttest_rel(other, top).pvalue),
    }
    # The point of the correction: the paired test alone would call top better at 0.05; corrected, it is not.
    assert out["uncorrected_paired_p"] < 0.05 < out["paired"]["0.05"]["p"], out["paired"]["0.05"]["p"]
    return out


def functions():
    """Direct cases for significance.ts: other fold counts and sizes, unequal groups for Welch's test."""
    rng = np.random.default_rng(20261207)
    cases = []
    for folds, j in [(3, 6), (10, 10), (2, 8)]:
        a = rng.normal(0.8, 0.05, j).tolist()
        b = (np.array(a) - rng.normal(0.02, 0.03, j)).tolist()
        cases.append({"folds": folds, "a": a, "b": b, "paired": paired(a, b, folds, 0.05), "summary": summary(a, folds, [0.05, 0.01])})
    a, b = rng.normal(0.9, 0.02, 6).tolist(), rng.normal(0.85, 0.06, 15).tolist()
    welch_cases = [
        {"a": a, "b": b, "folds_a": 3, "folds_b": 5, **welch(a, b, 3, 5, 0.05)},
        {"a": a, "b": b, "folds_a": None, "folds_b": 5, **welch(a, b, None, 5, 0.05)},
    ]
    return {"paired": cases, "welch": welch_cases}


def seed_groups():
    """The groups of test/compare.test.ts (runs that differ by seed only): mean, std (ddof=1), interval."""
    return {name: summary(xs, None, [0.05, 0.1]) for name, xs in [("A", [0.9, 0.8, 1.0]), ("B", [0.95, 0.97])]}


def num(x):
    """A float for JSON; NaN and infinities as strings (JSON has none)."""
    x = float(x)
    return x if math.isfinite(x) else str(x)


def constant_groups():
    """Welch's test of two groups whose values are each all equal (no spread): scipy's ttest_ind(equal_var=False)
    gives t = -inf and p = 0 where the means differ, NaN for both where they do not. Its Welch-Satterthwaite
    degrees of freedom are 0/0 (NaN, as the formula here gives); scipy puts 1 in their place internally
    (_unequal_var_ttest_denom: "it doesn't matter what df is as long as it's not NaN") and does not report them
    (1.10). Values exactly representable, so that numpy's variances are exactly 0."""
    out = []
    for a, b in [([1.0, 1.0, 1.0], [2.0, 2.0]), ([1.0, 1.0, 1.0], [1.0, 1.0]), ([0.25, 0.25, 0.25], [0.5, 0.5, 0.5, 0.5])]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # scipy's warning on nearly identical data: the point here
            r = stats.ttest_ind(a, b, equal_var=False)
        va, vb = float(np.var(a, ddof=1)) / len(a), float(np.var(b, ddof=1)) / len(b)
        assert va == 0 and vb == 0
        df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1)) if va + vb > 0 else math.nan
        out.append({"a": a, "b": b, "t": num(r.statistic), "p": num(r.pvalue), "df": num(df), "diff": float(np.mean(a) - np.mean(b))})
    return out


def main():
    data = {"scipy": scipy.__version__, "numpy": np.__version__, "seed_groups": seed_groups(), "cross_validation": cross_validation(), "functions": functions(), "constant_groups": constant_groups()}
    with open(OUT, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT)} (scipy {scipy.__version__}, numpy {np.__version__})", file=sys.stderr)


if __name__ == "__main__":
    main()
