"""Independent derivation of the expected values in inferencex-examples.test.ts.

Written from METRICS.md and Steffen (1990) without infermark's TypeScript code, on the raw JSON rows.
Run: python3 packages/core/test/analysis/derive-expected.py (from the repository root; data in ../shared).
"""
import json, os

root = os.path.join(os.path.dirname(__file__), "../../../../../shared/data/inferencex")
latest = json.load(open(os.path.join(root, "benchmarks.json")))
history = json.load(open(os.path.join(root, "benchmarks-history.json")))

print("== interactivity ranges on each group's latest date (history file) ==")
groups = {}
for r in history:
    if r["hardware"] == "mi325x" or (r["hardware"] == "h200" and r["framework"] == "sglang" and r["precision"] == "fp8"):
        k = (r["hardware"], r["framework"], r["precision"], r["spec_method"], r["isl"], r["osl"])
        groups.setdefault(k, []).append(r)
for k, rows in sorted(groups.items()):
    last = max(r["date"] for r in rows)
    iv = [r["metrics"]["median_intvty"] for r in rows if r["date"] == last]
    print(k, last, repr(min(iv)), repr(max(iv)))

print("== cost of one B200 dynamo-trt FP4 point ==")
(p,) = [r for r in latest if r["hardware"] == "b200" and r["framework"] == "dynamo-trt" and r["precision"] == "fp4"
        and r["isl"] == 1024 and r["spec_method"] == "mtp" and r["conc"] == 1214]
m = p["metrics"]
for tier, usd in (("hyperscaler", 1.95), ("neocloud", 2.34), ("rental", 2.9)):
    print(tier, "total", repr(usd * 1e6 / (m["tput_per_gpu"] * 3600)),
          "input", repr(usd * 1e6 / (m["input_tput_per_gpu"] * 3600)),
          "output", repr(usd * 1e6 / (m["output_tput_per_gpu"] * 3600)))


def frontier(pts):  # (x, y), both higher is better
    out = [q for q in pts if not any(o[0] >= q[0] and o[1] >= q[1] and o != q for o in pts)]
    return sorted(set(out))


def steffen(xs, ys, x):
    n = len(xs)
    h = [xs[i + 1] - xs[i] for i in range(n - 1)]
    s = [(ys[i + 1] - ys[i]) / h[i] for i in range(n - 1)]
    sg = lambda v: (v > 0) - (v < 0)
    d = [0.0] * n
    if n == 2:
        d = [s[0], s[0]]
    else:
        for i in range(1, n - 1):
            p = (s[i - 1] * h[i] + s[i] * h[i - 1]) / (h[i - 1] + h[i])
            d[i] = (sg(s[i - 1]) + sg(s[i])) * min(abs(s[i - 1]), abs(s[i]), 0.5 * abs(p))

        def end(s0, s1, h0, h1):
            p = s0 * (1 + h0 / (h0 + h1)) - s1 * h0 / (h0 + h1)
            if p * s0 <= 0:
                return 0.0
            if abs(p) > 2 * abs(s0):
                return 2 * s0
            return p

        d[0] = end(s[0], s[1], h[0], h[1])
        d[-1] = end(s[-1], s[-2], h[-1], h[-2])
    i = max(j for j in range(n) if xs[j] <= x)
    if xs[i] == x:
        return ys[i]
    t = x - xs[i]
    c3 = (d[i] + d[i + 1] - 2 * s[i]) / h[i] ** 2
    c2 = (3 * s[i] - 2 * d[i] - d[i + 1]) / h[i]
    return ((c3 * t + c2) * t + d[i]) * t + ys[i]


print("== B200 vs H200, dsr1 1024/1024 FP8, every framework pooled (latest file), tput/GPU at 50 tok/s/user ==")
vals = {}
for hw in ("b200", "h200"):
    pts = [(r["metrics"]["median_intvty"], r["metrics"]["tput_per_gpu"]) for r in latest
           if r["hardware"] == hw and r["precision"] == "fp8" and r["isl"] == 1024 and r["osl"] == 1024]
    f = frontier(pts)
    print(hw, "frontier", f)
    vals[hw] = steffen([a for a, _ in f], [b for _, b in f], 50.0)
    print(hw, repr(vals[hw]))
print("ratio", repr(vals["b200"] / vals["h200"]))

print("== trend: H200 SGLang FP8 (no spec), 1024/1024, tput/GPU at 50 tok/s/user on each date's frontier (history file) ==")
by_date = {}
for r in history:
    if (r["hardware"], r["framework"], r["precision"], r["spec_method"], r["isl"], r["osl"]) == ("h200", "sglang", "fp8", "none", 1024, 1024):
        by_date.setdefault(r["date"], []).append((r["metrics"]["median_intvty"], r["metrics"]["tput_per_gpu"]))
vals = []
for date in sorted(by_date):
    f = frontier(by_date[date])
    xs = [a for a, _ in f]
    v = steffen(xs, [b for _, b in f], 50.0) if xs[0] <= 50 <= xs[-1] else None
    print(date, repr(v))
    if v is not None:
        vals.append((date, v))
print("factor", vals[0][0], "->", vals[-1][0], repr(vals[-1][1] / vals[0][1]))
