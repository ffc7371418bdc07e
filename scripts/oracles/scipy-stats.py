#!/usr/bin/python3
"""The oracle for mlplab compare's statistics (src/runner/distributions.ts, significance.ts): scipy's values,
written to test/fixtures/scipy-stats.json, which test/stats.test.ts compares with.

Run with Debian's python3 (it has scipy; the pyenv python3 on PATH does not):

    /usr/bin/python3 scripts/oracles/scipy-stats.py

Every expected number comes from scipy.stats: t.ppf, t.sf, ttest_rel (its confidence_interval), ttest_ind
with equal_var=False, t.interval, and wilcoxon. Welch's interval is the one formula here that scipy 1.10
does not offer as a method (ttest_ind's confidence_interval came in 1.11): Welch–Satterthwaite degrees of
freedom and scipy's t.ppf. wilcoxon is asked for method="exact" where the differences are nonzero and untied
(scipy counts the null distribution: exact, up to n = 50 under method="auto") and method="approx" (the normal
approximation with the tie correction, zero differences dropped, no continuity correction) otherwise, which is
what mlplab uses in each case.

scipy's t quantiles are good to about 1e-11 (t.ppf(0.975, 2) = 4.302652729911275; the closed form gives
4.30265272974946385...), so the quantiles and tails are also computed to 40 digits with mpmath (Debian's
python3-mpmath, which scipy depends on) as a second, sharper oracle.
"""

import json
import math
import os
import sys
import warnings

import mpmath
import numpy as np
import scipy
from scipy import stats

mpmath.mp.dps = 40

warnings.simplefilter("ignore")  # scipy's warnings on tiny samples and degenerate data; the values still count
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "scipy-stats.json")


def num(x):
    """A float for JSON; NaN and infinities as strings (JSON has none)."""
    x = float(x)
    return x if math.isfinite(x) else str(x)


def samples():
    rng = np.random.default_rng(20261206)
    out = {
        "n2": [0.9, 0.8],
        "n3": [0.9667, 0.9333, 1.0],
        "n5": [0.12, 0.35, 0.07, 0.2, 0.11],
        "accuracy10": [0.9333, 0.9667, 0.9, 0.9667, 1.0, 0.9333, 0.9667, 0.9333, 0.9, 1.0],
        "normal30": rng.normal(0.5, 0.1, 30).tolist(),
        "lognormal40": rng.lognormal(-3, 1.5, 40).tolist(),
    }
    return out


def mp_tail(t, df):
    """2·P(T ≥ |t|) to 40 digits: I_x(df/2, 1/2) with x = df / (df + t²), by mpmath."""
    t, df = mpmath.mpf(t), mpmath.mpf(df)
    return mpmath.betainc(df / 2, mpmath.mpf(1) / 2, 0, df / (df + t * t), regularized=True)


def mp_or_none(t, df):
    """{"p_mpmath": …}, or nothing where mpmath's series gives up (tails far below 1e-300)."""
    try:
        return {"p_mpmath": num(mp_tail(t, df))}
    except ValueError:
        return {}


def mp_quantile(p, df):
    """The t with P(T ≤ t) = p to 40 digits: the root of the tail, by mpmath."""
    if p == 0.5:
        return mpmath.mpf(0)
    target = 2 * (1 - mpmath.mpf(p)) if p > 0.5 else 2 * mpmath.mpf(p)
    start = abs(stats.t.ppf(p, df))
    root = mpmath.findroot(lambda t: mp_tail(t, df) - target, start)
    return root if p > 0.5 else -root


def quantiles():
    rows = []
    for df in [1, 2, 2.5, 3, 4.5, 7, 10, 29, 100, 1000, 1e5]:
        for p in [0.5, 0.6, 0.9, 0.95, 0.975, 0.995, 0.9995, 0.999999, 0.025, 1e-9]:
            rows.append({"p": p, "df": df, "q": num(stats.t.ppf(p, df)), "q_mpmath": num(mp_quantile(p, df))})
    return rows


def upper_quantiles():
    """compare's interval at confidence 1 - alpha takes the t with P(T > t) = alpha / 2 (scipy's t.isf), for alphas
    down to 1e-100 (--alpha's smallest): scipy's t.isf (good to about 1e-9 here: t.isf(5e-51, 100) is 7e-10
    off) and the 40-digit root of the tail by mpmath."""
    rows = []
    for df in [1, 1.5, 2, 4.5, 10, 100, 1e5]:
        for alpha in [1e-6, 1e-10, 1e-16, 1e-17, 1e-20, 1e-50, 1e-100]:
            start = stats.t.isf(alpha / 2, df)
            # On the log (alpha is tiny), by secant steps from two points near scipy's value (its default second
            # point, x0 + 1/4, is x0 itself to 40 digits at t = 1e50).
            x0 = mpmath.mpf(start)
            root = mpmath.findroot(lambda t: mpmath.log(mp_tail(t, df)) - mpmath.log(mpmath.mpf(alpha)), (x0, x0 * (1 + mpmath.mpf(1e-9))))
            rows.append({"alpha": alpha, "df": df, "isf": num(start), "q_mpmath": num(root)})
    return rows


def tiny_alpha_intervals(named):
    """A mean's interval at confidence 1 - alpha for tiny alphas, where t.interval gives infinite ends (1 - alpha
    rounds to 1 from 1e-17 on): mean -/+ t.isf(alpha / 2, n - 1) * sem."""
    rows = []
    for name in ["n3", "n5"]:
        xs = named[name]
        for alpha in [1e-10, 1e-17, 1e-100]:
            half = stats.t.isf(alpha / 2, len(xs) - 1) * stats.sem(xs)
            rows.append({"sample": name, "alpha": alpha, "low": num(np.mean(xs) - half), "high": num(np.mean(xs) + half)})
    return rows


def tails():
    rows = []
    for df in [1, 2, 2.5, 3, 4.5, 7, 10, 29, 100, 1000, 1e5]:
        for t in [0.0, 1e-6, 0.1, 0.7, 1.0, 2.0, 3.5, 5.0, 20.0, 100.0, -2.0]:
            rows.append({"t": t, "df": df, "p": num(2 * stats.t.sf(abs(t), df)), **mp_or_none(t, df)})
    return rows


def mean_intervals(named):
    rows = []
    for name, xs in named.items():
        for level in [0.95, 0.99]:
            lo, hi = stats.t.interval(level, len(xs) - 1, loc=np.mean(xs), scale=stats.sem(xs))
            rows.append({"sample": name, "level": level, "low": num(lo), "high": num(hi)})
    return rows


def pairs():
    """(a, b) pairs of equal length: seeds' results of two groups."""
    rng = np.random.default_rng(7)
    base = rng.normal(0.8, 0.05, 12)
    return {
        "n3": ([0.9333, 0.9667, 1.0], [0.9, 0.9667, 0.9333]),
        "n5": ([0.12, 0.35, 0.07, 0.2, 0.11], [0.15, 0.36, 0.1, 0.26, 0.1]),
        "n6_untied": ([1.0, 2.1, 3.3, 4.6, 6.0, 7.5], [0.9, 2.3, 3.0, 4.0, 5.2, 6.5]),
        "n8_ties_zeros": ([0.9, 0.9333, 0.9667, 1.0, 0.9667, 0.9333, 0.9, 1.0], [0.9, 0.9, 0.9333, 0.9667, 0.9333, 0.9, 0.9, 0.9667]),
        "n12": ((base + rng.normal(0.02, 0.03, 12)).tolist(), base.tolist()),
        "n20_untied": (rng.normal(0.1, 1, 20).tolist(), rng.normal(0, 1, 20).tolist()),
        "constant_shift": ([1.0, 2.0, 3.0], [0.5, 1.5, 2.5]),
    }


def paired_tests(named):
    rows = []
    for name, (a, b) in named.items():
        r = stats.ttest_rel(a, b)
        ci = r.confidence_interval(0.95)
        d = np.subtract(a, b)
        row = {"pair": name, "t": num(r.statistic), "df": num(r.df), "p": num(r.pvalue), "low": num(ci.low), "high": num(ci.high), "diff": num(np.mean(d))}
        nonzero = d[d != 0]
        untied = len(np.unique(np.abs(nonzero))) == len(nonzero)
        method = "exact" if len(nonzero) == len(d) and untied and len(d) <= 50 else "approx"
        if len(nonzero) > 0:
            w = stats.wilcoxon(a, b, method=method)
            row["wilcoxon"] = {"method": "exact" if method == "exact" else "normal", "statistic": num(w.statistic), "p": num(w.pvalue)}
        rows.append(row)
    return rows


def welch_tests(named):
    rows = []
    for name, (a, b) in named.items():
        r = stats.ttest_ind(a, b, equal_var=False)
        va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
        df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
        diff = np.mean(a) - np.mean(b)
        half = stats.t.ppf(0.975, df) * math.sqrt(va + vb)
        rows.append({"a": a, "b": b, "name": name, "t": num(r.statistic), "p": num(r.pvalue), "df": num(df), "diff": num(diff), "low": num(diff - half), "high": num(diff + half)})
    return rows


def welch_pairs():
    named = {k: v for k, v in pairs().items() if k != "constant_shift"}
    named["unequal_sizes"] = ([0.9667, 0.9333, 1.0], [0.9, 0.8, 1.0, 0.9333, 0.8667])
    named["unequal_spread"] = ([0.5, 0.52, 0.51, 0.49], [0.1, 0.9, 0.4, 0.7, 0.3, 0.6])
    return named


def signed_rank_exact():
    """Exact two-sided p-values of W+ for every w at a few n (no data: the distribution itself)."""
    rows = []
    for n in [6, 7, 10, 15, 25]:
        # d = ±(1..n): the signs of the ranks in w's binary expansion give each W+ once; pick several w.
        for w_plus in sorted({0, 1, 2, n, n * (n + 1) // 4, n * (n + 1) // 2 - 3, n * (n + 1) // 2}):
            d, rest = [], w_plus
            for r in range(n, 0, -1):
                if rest >= r:
                    d.append(float(r))
                    rest -= r
                else:
                    d.append(-float(r))
            assert rest == 0
            res = stats.wilcoxon(d, method="exact")
            rows.append({"n": n, "w_plus": w_plus, "d": d, "statistic": num(res.statistic), "p": num(res.pvalue)})
    return rows


def main():
    named = samples()
    data = {
        "scipy": scipy.__version__,
        "samples": named,
        "quantiles": quantiles(),
        "upper_quantiles": upper_quantiles(),
        "tiny_alpha_intervals": tiny_alpha_intervals(named),
        "tails": tails(),
        "mean_intervals": mean_intervals(named),
        "pairs": {k: {"a": list(map(float, a)), "b": list(map(float, b))} for k, (a, b) in pairs().items()},
        "paired": paired_tests(pairs()),
        "welch": welch_tests(welch_pairs()),
        "signed_rank_exact": signed_rank_exact(),
    }
    with open(OUT, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT)} (scipy {scipy.__version__})", file=sys.stderr)


if __name__ == "__main__":
    main()
