"""The trainer's speed targets, side by side in one run, on both kinds of CPU setting of
benchmarks/fast_paths.py ("as found" and the AVX2, AMD-like emulation).

    python benchmarks/targets.py [--repeats 3]      (make bench-targets; PyTorch from the bench extra)

1. 784-64-10, sigmoid hidden units, softmax output, mini-batch SGD (batch 128, 20 epochs, learning
   rate 0.5, momentum 0.9, float32) on the bundled digits' training set: ours <= 0.7x PyTorch's
   time and <= 0.6x scikit-learn's.
2. 400-25-10 on the 20x20 digits, CG, 335 iterations: >= 5x (float32) and >= 2x (float64) the
   plain recipe (benchmarks/plain_recipe.py).
3. 784-100-10 ReLU, the same SGD, 10 epochs, on 60,000 x 784 (the bundled training digits
   repeated): ahead of both.
Contenders run interleaved; medians of the repeats, seconds for the whole fit.
"""

import json
import os
import statistics
import subprocess
import sys

import numpy as np
from fast_paths import SETTINGS, cpu_name  # benchmarks/ is this script's folder


def sgd_job(data, hidden, epochs, activation, repeats):
    """{trainer: median seconds of the whole fit} and {trainer: test accuracy}."""
    from run import torch_available, train_ours, train_sklearn, train_torch

    trainers = {"ours": train_ours, "scikit-learn": train_sklearn}
    if torch_available():
        trainers["PyTorch"] = train_torch
    times, accuracy = {name: [] for name in trainers}, {}
    for _ in range(repeats):
        for name, train in trainers.items():
            per_epoch, accuracy[name] = train(data, hidden, 128, epochs, 0.5, activation)
            times[name].append(per_epoch * epochs)
    return {name: statistics.median(t) for name, t in times.items()}, accuracy


def measure(repeats):
    from run import bench_shallow, mnist_bundled
    from threadpoolctl import threadpool_info

    data = mnist_bundled()
    X, y = data[0], data[1]
    copies = -(-60_000 // len(X))
    big = (np.tile(X, (copies, 1))[:60_000], np.tile(y, copies)[:60_000], data[2], data[3])
    out = {"blas": sorted({i["architecture"] for i in threadpool_info()
                           if i["user_api"] == "blas"}), "m": len(X)}
    out["sgd"] = sgd_job(data, 64, 20, "sigmoid", repeats)
    out["relu_60k"] = sgd_job(big, 100, 10, "relu", repeats)
    out["cg"] = {name: {"seconds": r["seconds"]["median"], "speedup": r["speedup"]}
                 for name, r in bench_shallow(repeats).items()}
    return out


def table(name, got):
    blas = ", ".join(got["blas"])
    times, accuracy = got["sgd"]
    relu, relu_accuracy = got["relu_60k"]
    rows = [f"| {name}, OpenBLAS {blas} | 784–64–10 SGD, {got['m']:,} digits, 20 epochs | "
            + " | ".join(f"{t:.2f} s" for t in times.values()) + " | "
            + ", ".join(f"{times['ours'] / t:.2f}× {k}'s" for k, t in times.items() if k != "ours")
            + " |",
            f"| {name}, OpenBLAS {blas} | 784–100–10 ReLU SGD, 60,000 × 784, 10 epochs | "
            + " | ".join(f"{t:.2f} s" for t in relu.values()) + " | "
            + ", ".join(f"{relu['ours'] / t:.2f}× {k}'s" for k, t in relu.items() if k != "ours")
            + " |"]
    cg = got["cg"]
    rows.append(f"| {name}, OpenBLAS {blas} | 400–25–10 CG, 335 iterations | "
                + " | ".join(f"{r['seconds']:.2f} s" for r in cg.values()) + " | "
                + ", ".join(f"{r['speedup']:.2f}× ({k})" for k, r in cg.items()
                            if not k.startswith("plain")) + " |")
    accuracies = ", ".join(f"{k} {a:.1%}" for k, a in accuracy.items())
    relu_accuracies = ", ".join(f"{k} {a:.1%}" for k, a in relu_accuracy.items())
    return rows, f"{name}: test accuracy, SGD: {accuracies}; ReLU 60k: {relu_accuracies}"


def main():
    repeats = int(sys.argv[sys.argv.index("--repeats") + 1]) if "--repeats" in sys.argv else 3
    if "--child" in sys.argv:
        print(json.dumps(measure(repeats)))
        return
    rows, notes = [], []
    for name, extra in SETTINGS.items():
        out = subprocess.run([sys.executable, __file__, "--child", "--repeats", str(repeats)],
                             env={**os.environ, **extra}, capture_output=True, text=True,
                             check=True).stdout
        more, note = table(name, json.loads(out.splitlines()[-1]))
        rows += more
        notes.append(note)
    print(f"On {cpu_name()}, {os.cpu_count()} cores, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}; medians of "
          f"{repeats}, contenders interleaved.\n")
    print("| setting | job | times (ours, scikit-learn, PyTorch; or plain, float64, float32) "
          "| ours against each |\n|---|---|---|---|")
    print("\n".join(rows))
    print("\n" + "\n".join(notes))


if __name__ == "__main__":
    main()
