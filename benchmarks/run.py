"""How fast the course runs, and how its trainer compares with the plain recipe, scikit-learn and
PyTorch. Run by `make bench`; writes benchmarks/results.json, results.md and scaling.png.

Every comparison runs its contenders interleaved (A B A B ...) and reports the median with the
min–max over the repeats. Sections 1-5 run on the thread count the Makefile pins; section 6 runs
every trainer in a fresh process under each thread setting a student may have (no thread
variables, as JupyterLab, VS Code and Binder leave it; 1 thread; 2 threads), and times the
notebooks once more in the two settings section 1 did not pin.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
from fast_paths import cpu_name  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402

import course_utils as cu  # noqa: E402
from course_utils.execute import WakingClient  # noqa: E402
from course_utils.run_env import without_threads  # noqa: E402

import plain_recipe  # noqa: E402  (benchmarks/ is this script's folder)
from report import THREAD_JOB, markdown  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "benchmarks"
PEAK_CELL = "print('VmHWM', [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])"


def summary(values):
    """{'median', 'min', 'max'} of a list of numbers."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def machine():
    from threadpoolctl import threadpool_info

    kernels = sorted({i.get("architecture") or i["internal_api"] for i in threadpool_info()
                      if i["user_api"] == "blas"})
    return {"cpu": cpu_name(), "cores": os.cpu_count(), "python": platform.python_version(),
            "numpy": np.__version__, "blas_kernel": ", ".join(kernels),
            "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "unset")}


# --- 1. notebooks ------------------------------------------------------------------------------

def run_notebook(path, threads="pinned"):
    """Wall time (s) of a clean execution and peak RSS (MB) of its kernel.

    threads: "pinned" (the kernel inherits this process's environment) or a key of
    THREAD_SETTINGS (the kernel starts with that environment).
    """
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PEAK_CELL))
    client = WakingClient(nb, kernel_name="python3", timeout=600,
                          resources={"metadata": {"path": str(path.parent)}})
    saved = dict(os.environ)
    if threads != "pinned":  # the kernel is launched with a copy of os.environ
        os.environ.clear()
        os.environ.update(thread_env(threads))
    try:
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
    finally:
        os.environ.clear()
        os.environ.update(saved)
    text = nb.cells[-1].outputs[0]["text"]
    return seconds, int(text.split()[1]) / 1024


def bench_notebooks(repeats, threads="pinned"):
    paths = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    runs = {p.stem: {"seconds": [], "peak_mb": []} for p in paths}
    for _ in range(repeats):
        for path in paths:
            seconds, peak = run_notebook(path, threads)
            runs[path.stem]["seconds"].append(seconds)
            runs[path.stem]["peak_mb"].append(peak)
    return {name: {"seconds": summary(r["seconds"]), "peak_mb": summary(r["peak_mb"])}
            for name, r in runs.items()}


# --- 2. 400-25-10: the class against the plain recipe -----------------------------------------

def bench_shallow(repeats, max_iter=335):
    X, y = cu.load_digits20()
    theta0 = cu.NeuralNetwork(hidden_layer_sizes=(25,)).init_theta(400, 10, np.random.default_rng(0))
    times = {"plain recipe (float64)": [], "NeuralNetwork float64": [], "NeuralNetwork float32": []}
    accuracy = {}
    for _ in range(repeats):
        start = time.perf_counter()
        _, accuracy["plain recipe (float64)"] = plain_recipe.fit(theta0, X, y, max_iter=max_iter)
        times["plain recipe (float64)"].append(time.perf_counter() - start)
        for dtype in (np.float64, np.float32):
            name = f"NeuralNetwork {np.dtype(dtype).name}"
            net = cu.NeuralNetwork(method="CG", max_iter=max_iter, dtype=dtype, random_state=0)
            start = time.perf_counter()
            net.fit(X, y)
            times[name].append(time.perf_counter() - start)
            accuracy[name] = float(net.score(X, y))
    plain = statistics.median(times["plain recipe (float64)"])
    return {name: {"seconds": summary(t), "train_accuracy": accuracy[name],
                   "speedup": plain / statistics.median(t)} for name, t in times.items()}


# --- 3. 784-64-10 mini-batch SGD against scikit-learn and PyTorch -----------------------------

def mnist_bundled():
    X_train, y_train, X_test, y_test = cu.load_mnist(source="bundled", verbose=False)
    return (X_train.astype(np.float32) / 255, y_train, X_test.astype(np.float32) / 255, y_test)


def train_ours(data, hidden, batch, epochs, lr, activation="sigmoid"):
    X_train, y_train, X_test, y_test = data
    net = cu.NeuralNetwork(hidden_layer_sizes=(hidden,), activation=activation, alpha=0.0,
                           method="sgd",
                           output="softmax", init="xavier", learning_rate=lr, momentum=0.9,
                           batch_size=batch, max_iter=epochs, dtype=np.float32, random_state=0)
    start = time.perf_counter()
    net.fit(X_train, y_train)
    return (time.perf_counter() - start) / epochs, float(net.score(X_test, y_test))


def train_sklearn(data, hidden, batch, epochs, lr, activation="sigmoid"):
    X_train, y_train, X_test, y_test = data
    mlp = MLPClassifier(hidden_layer_sizes=(hidden,), solver="sgd",
                        activation={"sigmoid": "logistic"}.get(activation, activation),
                        alpha=0.0, batch_size=batch, learning_rate_init=lr, momentum=0.9,
                        nesterovs_momentum=False, max_iter=epochs, n_iter_no_change=epochs + 1,
                        shuffle=True, random_state=0)
    start = time.perf_counter()
    with warnings.catch_warnings():  # it warns that max_iter was reached: that is the point
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X_train, y_train)
    return (time.perf_counter() - start) / epochs, float(mlp.score(X_test, y_test))


def train_torch(data, hidden, batch, epochs, lr, activation="sigmoid"):
    import torch

    torch.manual_seed(0)  # threads: PyTorch's default for the environment (OMP_NUM_THREADS or cores)
    X_train, y_train, X_test, y_test = (torch.from_numpy(np.ascontiguousarray(a)) for a in data)
    g = {"sigmoid": torch.nn.Sigmoid, "relu": torch.nn.ReLU}[activation]()
    model = torch.nn.Sequential(torch.nn.Linear(X_train.shape[1], hidden), g,
                                torch.nn.Linear(hidden, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(X_train))
        for first in range(0, len(X_train), batch):
            rows = order[first: first + batch]
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(X_train[rows]), y_train[rows])
            loss.backward()
            optimizer.step()
    seconds = (time.perf_counter() - start) / epochs
    with torch.no_grad():
        accuracy = float((model(X_test).argmax(dim=1) == y_test).float().mean())
    return seconds, accuracy


def torch_available():
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def bench_sgd(repeats, hidden=64, batch=64, epochs=10, lr=0.5):
    data = mnist_bundled()
    trainers = {"NeuralNetwork (sgd, float32)": train_ours,
                "scikit-learn MLPClassifier (sgd)": train_sklearn}
    if torch_available():
        trainers["PyTorch (CPU)"] = train_torch
    seconds = {name: [] for name in trainers}
    accuracy = {}
    for _ in range(repeats):
        for name, train in trainers.items():
            t, accuracy[name] = train(data, hidden, batch, epochs, lr)
            seconds[name].append(t)
    ours = statistics.median(seconds["NeuralNetwork (sgd, float32)"])
    result = {name: {"seconds_per_epoch": summary(s), "test_accuracy": accuracy[name],
                     "ours_relative": ours / statistics.median(s)} for name, s in seconds.items()}
    if not torch_available():
        result["PyTorch (CPU)"] = "not installed"
    return {"setup": {"hidden": hidden, "batch_size": batch, "epochs": epochs,
                      "learning_rate": lr, "momentum": 0.9, "train_examples": len(data[0])},
            "results": result}


# --- 4. fraction of the BLAS peak --------------------------------------------------------------

def gemm_rate(shapes, repeats=200):
    """float32 FLOP/s of the matrix products [(a, b, c): (a, b) @ (b, c)] run back to back."""
    rng = np.random.default_rng(0)
    pairs = [(rng.random((a, b), dtype=np.float32), rng.random((b, c), dtype=np.float32))
             for a, b, c in shapes]
    flops = sum(2 * a * b * c for a, b, c in shapes)
    best = np.inf
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeats):
            for A, B in pairs:
                A @ B
        best = min(best, (time.perf_counter() - start) / repeats)
    return flops / best


def bench_peak(sgd, hidden=64, batch=64):
    """FLOPs of one epoch of training over its time, against GEMM at the same shapes."""
    m = sgd["setup"]["train_examples"]
    n, K = 784, 10
    # Per batch: forward X W1, A1 W2; backward δ2ᵀA1, δ2 W2ᵀ, δ1ᵀX (the products of one step).
    shapes = [(batch, n, hidden), (batch, hidden, K), (K, batch, hidden), (batch, K, hidden),
              (hidden, batch, n)]
    flops_epoch = sum(2 * a * b * c for a, b, c in shapes) * m / batch
    seconds = sgd["results"]["NeuralNetwork (sgd, float32)"]["seconds_per_epoch"]["median"]
    rate = gemm_rate(shapes)
    return {"flops_per_epoch": flops_epoch, "achieved_gflops": flops_epoch / seconds / 1e9,
            "gemm_gflops_same_shapes": rate / 1e9, "fraction": flops_epoch / seconds / rate}


# --- 5. how cost grows -------------------------------------------------------------------------

def bench_scaling(epochs=2):
    data = mnist_bundled()
    grid = {}
    for batch in (32, 128, 512):
        for hidden in (32, 64, 128, 256):
            grid[f"{hidden},{batch}"] = min(train_ours(data, hidden, batch, epochs, 0.1)[0]
                                            for _ in range(2))
    fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    for batch in (32, 128, 512):
        ax.plot([32, 64, 128, 256], [1e3 * grid[f"{h},{batch}"] for h in (32, 64, 128, 256)],
                "o-", label=f"batch {batch}")
    ax.set(xscale="log", yscale="log", xlabel="hidden units", ylabel="ms per epoch",
           title="NeuralNetwork sgd, 784–h–10, 4,000 digits, float32")
    ax.set_xticks([32, 64, 128, 256], ["32", "64", "128", "256"])
    ax.legend()
    fig.savefig(HERE / "scaling.png", dpi=100)
    return grid


# --- 6. every thread setting a student may have ------------------------------------------------

THREAD_SETTINGS = {"no thread variables": None, "1 thread": "1", "2 threads": "2"}


def thread_env(setting):
    """A copy of os.environ with the BLAS/OpenMP thread variables of a THREAD_SETTINGS key."""
    return without_threads(threads=THREAD_SETTINGS[setting])


def thread_job_data():
    """The 5,000 bundled 28×28 digits scaled to [0, 1], float32, and their labels."""
    X, y = cu.load_bundled_mnist()
    return (X / np.float32(255)).astype(np.float32), y


def fit_digits20(method, dtype):
    """Seconds for 100 iterations of the 400–25–10 network on the 20×20 digits."""
    X, y = cu.load_digits20()
    net = cu.NeuralNetwork(hidden_layer_sizes=(25,), alpha=1.0, method=method, max_iter=100,
                           dtype=dtype, random_state=0)
    net.fit(X[::10], y[::10])  # warm-up: first calls into BLAS and scipy
    start = time.perf_counter()
    net.fit(X, y)
    return time.perf_counter() - start, float(net.score(X, y))


def thread_trainers():
    """{name: function() -> (seconds, accuracy)}: what section 6 times in each setting."""
    X, y = thread_job_data()
    data = (X, y, X, y)
    job = THREAD_JOB

    def sgd(train):
        def run():
            train(data, job["hidden"], job["batch_size"], 1, job["learning_rate"])  # warm-up
            per_epoch, accuracy = train(data, job["hidden"], job["batch_size"], job["epochs"],
                                        job["learning_rate"])
            return per_epoch * job["epochs"], accuracy
        return run

    trainers = {"NeuralNetwork sgd": sgd(train_ours),
                "scikit-learn MLPClassifier sgd": sgd(train_sklearn)}
    if torch_available():
        trainers["PyTorch SGD"] = sgd(train_torch)
    for method in ("CG", "L-BFGS-B"):
        for dtype in (np.float64, np.float32):
            trainers[f"NeuralNetwork {method} {np.dtype(dtype).name}"] = (
                lambda method=method, dtype=dtype: fit_digits20(method, dtype))
    return trainers


def bench_threads(repeats):
    """{setting: {trainer: {seconds, accuracy}}}, every run a fresh process started with the
    setting's environment (BLAS reads its thread count once, when it is loaded)."""
    names = list(thread_trainers())
    seconds = {s: {name: [] for name in names} for s in THREAD_SETTINGS}
    accuracy = {}
    for _ in range(repeats):
        for name in names:
            for setting in THREAD_SETTINGS:
                out = subprocess.run([sys.executable, __file__, "--trainer", name], check=True,
                                     capture_output=True, text=True, env=thread_env(setting))
                t, accuracy[name] = json.loads(out.stdout.strip().splitlines()[-1])
                seconds[setting][name].append(t)
    return {s: {name: {"seconds": summary(t), "accuracy": accuracy[name]}
                for name, t in by_name.items()} for s, by_name in seconds.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-notebooks", action="store_true")
    parser.add_argument("--notebooks-only", action="store_true",
                        help="time only the notebooks (in the three thread settings), keeping the "
                        "trainers' results of the last full run (make bench-notebooks)")
    parser.add_argument("--trainer", help="time one trainer of section 6 and print "
                        "[seconds, accuracy] as JSON (used by the benchmark itself)")
    args = parser.parse_args()
    if args.trainer:
        print(json.dumps(thread_trainers()[args.trainer]()))
        return
    if args.notebooks_only:
        results = json.loads((HERE / "results.json").read_text())
        results["notebooks_machine"] = machine()
        print("notebooks, 1 thread ...", flush=True)
        results["notebooks"] = bench_notebooks(args.repeats)
        print("notebooks with no thread variables and with 2 threads ...", flush=True)
        results["notebooks_threads"] = {setting: bench_notebooks(1, setting)
                                        for setting in ("no thread variables", "2 threads")}
        (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
        (HERE / "results.md").write_text(markdown(results))
        print((HERE / "results.md").read_text())
        return
    results = {"machine": machine()}
    if not args.skip_notebooks:
        print("notebooks ...", flush=True)
        results["notebooks"] = bench_notebooks(args.repeats)
    print("400-25-10 ...", flush=True)
    results["shallow"] = bench_shallow(args.repeats)
    print("784-64-10 sgd ...", flush=True)
    results["sgd"] = bench_sgd(max(args.repeats, 5))
    results["peak"] = bench_peak(results["sgd"])
    print("scaling ...", flush=True)
    results["scaling"] = bench_scaling()
    print("thread settings ...", flush=True)
    results["threads"] = bench_threads(args.repeats)
    if not args.skip_notebooks:
        print("notebooks with no thread variables and with 2 threads ...", flush=True)
        results["notebooks_threads"] = {setting: bench_notebooks(1, setting)
                                        for setting in ("no thread variables", "2 threads")}
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    if "notebooks" in results:
        (HERE / "results.md").write_text(markdown(results))
    print((HERE / "results.md").read_text() if "notebooks" in results else json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
