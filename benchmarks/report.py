"""benchmarks/results.md from the measurements of benchmarks/run.py (results.json): the tables."""

THREAD_JOB = {"hidden": 64, "batch_size": 128, "epochs": 20, "learning_rate": 0.1,
              "momentum": 0.9, "train_examples": 5000}


def fmt(s, scale=1.0, digits=2):
    return f"{s['median'] * scale:.{digits}f} ({s['min'] * scale:.{digits}f}–{s['max'] * scale:.{digits}f})"



def markdown_threads(results):
    """The section-6 tables: trainers and notebooks in every thread setting."""
    threads = results["threads"]
    settings = list(threads)
    job = THREAD_JOB
    lines = ["## Every thread setting", "", where(results["machine"]), "",
             (f"Each run is a fresh process started with the setting's environment. SGD: "
              f"784–{job['hidden']}–10 on the {job['train_examples']:,} bundled digits, batch "
              f"{job['batch_size']}, {job['epochs']} epochs, sigmoid hidden units, softmax "
              "output, float32 (PyTorch at its default threads for the setting). CG and "
              "L-BFGS-B: 400–25–10 on the 20×20 digits, 100 iterations. Seconds per fit."), "",
             "| trainer | " + " | ".join(settings) + " |",
             "|---|" + "---|" * len(settings)]
    for name in threads[settings[0]]:
        cells = [fmt(threads[s][name]["seconds"]) for s in settings]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    ours = "NeuralNetwork sgd"
    for peer in ("scikit-learn MLPClassifier sgd", "PyTorch SGD"):
        if peer in threads[settings[0]]:
            ratios = [threads[s][ours]["seconds"]["median"] / threads[s][peer]["seconds"]["median"]
                      for s in settings]
            lines.append(f"| our SGD time / {peer} | "
                         + " | ".join(f"{r:.2f}×" for r in ratios) + " |")
    lines += ["", "Targets: ≤ 0.6× scikit-learn's time and ≤ 0.7× PyTorch's in every setting.", ""]
    if "notebooks_threads" in results:
        by_setting = {"1 thread": results["notebooks"], **results["notebooks_threads"]}
        lines += ["### Notebooks in every thread setting", "",
                  "Clean executions, wall time in seconds; the 1-thread column is section 1's "
                  "median, the others one run each, the kernel started with the setting's "
                  "environment.", "",
                  "| notebook | " + " | ".join(by_setting) + " |",
                  "|---|" + "---|" * len(by_setting)]
        for name in results["notebooks"]:
            lines.append(f"| {name} | " + " | ".join(
                f"{nbs[name]['seconds']['median']:.1f}" for nbs in by_setting.values()) + " |")
        totals = [sum(r["seconds"]["median"] for r in nbs.values())
                  for nbs in by_setting.values()]
        lines += ["| **total** | " + " | ".join(f"{t:.1f}" for t in totals) + " |", "",
                  "Targets: each ≤ 60 s, total ≤ 180 s, in every setting.", ""]
    return lines

def where(mach):
    """The machine a table was measured on: CPU, cores and BLAS kernel (say which CPU a claim is
    about: the course's students meet Intel's and AMD's)."""
    kernel = (f"OpenBLAS {mach['blas_kernel']} kernel" if "blas_kernel" in mach
              else "BLAS kernel not recorded (a run from before make bench recorded it)")
    return (f"*Measured on {mach['cpu']}, {mach['cores']} cores, {kernel}, "
            f"{mach['blas_threads']} BLAS thread(s).*")


def markdown(results):
    mach = results["machine"]
    lines = ["# Benchmarks", "",
             f"Made by `make bench` on {mach['cpu']}, {mach['cores']} cores, "
             f"{mach['blas_threads']} BLAS thread(s), Python {mach['python']}, NumPy {mach['numpy']}. "
             "Medians with min–max over the repeats; contenders interleaved in one run. The core's "
             "fast paths on both kinds of CPU: `fast_paths.md`; the trainer's targets side by side "
             "on both: `targets.md`.", ""]
    nbs = results["notebooks"]
    lines += ["## Notebooks (clean execution, kernel start included)", ""]
    if "notebooks_machine" in results:
        nb_mach = results["notebooks_machine"]
        lines += [f"Timed again by `make bench-notebooks` on {nb_mach['cpu']}, {nb_mach['cores']} "
                  f"cores, Python {nb_mach['python']}, NumPy {nb_mach['numpy']}; the trainers' "
                  "tables below are from the last full `make bench`.", "", where(nb_mach), ""]
    else:
        lines += [where(mach), ""]
    lines += ["| notebook | wall time, s | kernel peak RSS, MB |", "|---|---|---|"]
    for name, r in nbs.items():
        lines.append(f"| {name} | {fmt(r['seconds'], digits=1)} | {fmt(r['peak_mb'], digits=0)} |")
    total = sum(r["seconds"]["median"] for r in nbs.values())
    lines += [f"| **total** | {total:.1f} | |", "",
              "Targets: each ≤ 60 s, total ≤ 180 s, peak ≤ 1,024 MB.", ""]
    lines += ["## 400–25–10 on the 20×20 digits: CG, 335 iterations", "", where(mach), "",
              "| trainer | fit time, s | training accuracy | speed-up over the plain recipe |",
              "|---|---|---|---|"]
    for name, r in results["shallow"].items():
        lines.append(f"| {name} | {fmt(r['seconds'])} | {r['train_accuracy']:.2%} | "
                     f"{r['speedup']:.2f}× |")
    lines += ["", "Targets: ≥ 2× in float64 and ≥ 5× in float32.", ""]
    sgd = results["sgd"]
    setup = sgd["setup"]
    lines += [f"## 784–{setup['hidden']}–10 mini-batch SGD on the bundled 28×28 digits", "",
              where(mach), "",
              f"{setup['train_examples']} training digits, batch {setup['batch_size']}, "
              f"{setup['epochs']} epochs, learning rate {setup['learning_rate']}, momentum 0.9, "
              "sigmoid hidden units, softmax output.", "",
              "| trainer | ms per epoch | test accuracy | our time relative to it |",
              "|---|---|---|---|"]
    for name, r in sgd["results"].items():
        if isinstance(r, str):
            lines.append(f"| {name} | {r} | | |")
        else:
            lines.append(f"| {name} | {fmt(r['seconds_per_epoch'], 1e3, 1)} | "
                         f"{r['test_accuracy']:.2%} | {r['ours_relative']:.2f}× |")
    lines += ["", "Targets: ≤ 0.6× scikit-learn's time and ≤ 0.7× PyTorch's.", ""]
    peak = results["peak"]
    lines += ["## Fraction of the BLAS peak", "", where(mach), "",
              f"One epoch of the 784–64–10 training does {peak['flops_per_epoch'] / 1e9:.2f} GFLOP "
              f"in its matrix products: {peak['achieved_gflops']:.1f} GFLOP/s, against "
              f"{peak['gemm_gflops_same_shapes']:.1f} GFLOP/s for float32 GEMM at the same shapes: "
              f"**{peak['fraction']:.0%}** (target ≥ 50%).", ""]
    lines += ["## How cost grows", "", where(mach), "", "ms per epoch (`scaling.png`):", "",
              "| hidden \\ batch | 32 | 128 | 512 |", "|---|---|---|---|"]
    for hidden in (32, 64, 128, 256):
        row = [f"{1e3 * results['scaling'][f'{hidden},{b}']:.1f}" for b in (32, 128, 512)]
        lines.append(f"| {hidden} | " + " | ".join(row) + " |")
    if "threads" in results:
        lines += [""] + markdown_threads(results)
    return "\n".join(lines) + "\n"
