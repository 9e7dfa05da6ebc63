"""The core's fast paths, each timed against its plain form on both kinds of CPU the course meets.

    python benchmarks/fast_paths.py        (make bench-fast-paths)

Each measurement runs in a fresh process per machine setting, so that OpenBLAS and NumPy pick
their kernels at start: "as found" (this machine's own choice) and "AVX2 (AMD-like)", which
forces OpenBLAS's Haswell kernel (what it runs on AMD EPYC and Ryzen before Zen 4) and turns off
NumPy's AVX-512 loops. The second is an emulation on this CPU, not an AMD machine: its caches
and clocks stay this CPU's. A fast path earns its place when it pays in both settings.
"""

import json
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np

SETTINGS = {
    "as found": {},
    "AVX2 (AMD-like)": {"OPENBLAS_CORETYPE": "Haswell",
                        "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"},
}


def cpu_name():
    """The CPU's model name (Linux's /proc/cpuinfo; elsewhere what the platform module knows)."""
    try:
        with open("/proc/cpuinfo") as info:
            return next(line.split(":", 1)[1].strip() for line in info
                        if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or "unknown CPU"


def best_ms(job, repeats=30):
    """The median of `repeats` timings of job(), in ms, after one warm-up call."""
    job()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def measure():
    """{path: {"plain": ms, "fast": ms}} in this process's setting."""
    from scipy.special import expit
    from threadpoolctl import threadpool_info

    import course_utils as cu
    from course_utils import mlp
    from course_utils.activations import sigmoid

    X, y = cu.load_digits20()
    Y = np.eye(10)[y]
    shapes = mlp.shapes(400, (25,), 10)
    theta = mlp.init_theta(shapes, np.random.default_rng(0))
    results = {}
    for dtype in (np.float64, np.float32):
        Xd, Yd = X.astype(dtype), Y.astype(dtype)
        Xf = np.asfortranarray(Xd)
        results[f"full-batch cost and gradient, 5,000 × 400, {np.dtype(dtype).name}"] = {
            "plain": best_ms(lambda: mlp.cost_and_gradient(theta, Xd, Yd, shapes)),
            "fast": best_ms(lambda: mlp.cost_and_gradient(theta, Xf, Yd, shapes))}
    Z = np.random.default_rng(1).normal(size=(5000, 25)).astype(np.float32)
    results["float32 sigmoid, 5,000 × 25 (expit against the tanh identity)"] = {
        "plain": best_ms(lambda: expit(Z), 200), "fast": best_ms(lambda: sigmoid(Z), 200)}
    blas = {i["architecture"] for i in threadpool_info() if i["user_api"] == "blas"}
    return {"blas": sorted(blas), "results": results}


def main():
    if "--child" in sys.argv:
        print(json.dumps(measure()))
        return
    rows = []
    for name, extra in SETTINGS.items():
        out = subprocess.run([sys.executable, __file__, "--child"], env={**os.environ, **extra},
                             capture_output=True, text=True, check=True).stdout
        got = json.loads(out)
        for path, t in got["results"].items():
            rows.append(f"| {path} | {name}, OpenBLAS {', '.join(got['blas'])} | "
                        f"{t['plain']:.2f} | {t['fast']:.2f} | {t['plain'] / t['fast']:.2f}× |")
    print(f"On {cpu_name()}, {os.cpu_count()} cores, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}; medians.\n")
    print("| path | setting | plain, ms | fast, ms | speed-up |\n|---|---|---|---|---|")
    print("\n".join(sorted(rows)))


if __name__ == "__main__":
    main()
