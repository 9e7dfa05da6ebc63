"""The environment every made output is run in: one definition for make, the editions, the tests
and the benchmarks.

One BLAS thread: on 2 cores the course's small matrix products are faster and steadier with one
(measured), and results do not depend on the thread count. The bundled digits, a fixed hash seed
and Jupyter's platform folders make the outputs the same on every machine.

`python course_utils/run_env.py` prints KEY=VALUE, one a line, with the standard library only:
the Makefile reads them from there (it runs before the course's packages are installed).
"""

import os

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

RUN_ENV = {
    **dict.fromkeys(THREAD_VARIABLES, "1"),
    "PYTHONHASHSEED": "0",
    "JUPYTER_PLATFORM_DIRS": "1",
    "COURSE_MNIST": "bundled",
}


def run_env(base=None):
    """A copy of `base` (default os.environ) with RUN_ENV's values set over it."""
    return {**(os.environ if base is None else base), **RUN_ENV}


def without_threads(base=None, threads=None):
    """A copy of `base` (default os.environ) with the thread variables removed, or all set to
    `threads` (a student's settings: none, as JupyterLab leaves them, or a number)."""
    env = {k: v for k, v in (os.environ if base is None else base).items()
           if k not in THREAD_VARIABLES}
    if threads is not None:
        env.update(dict.fromkeys(THREAD_VARIABLES, str(threads)))
    return env


_one_core = None


def use_one_core():
    """Run NumPy's matrix products on one core for the rest of this process (a notebook's kernel).

    The course's products are small: split over two cores they wait on each other, and far longer
    when anything else runs (measured in benchmarks/, "no thread variables"); one core is faster and
    steadier. It changes nothing when the thread variables above are already set.
    """
    global _one_core
    from threadpoolctl import threadpool_limits

    _one_core = threadpool_limits(limits=1)  # kept: the limit lasts until it is restored


if __name__ == "__main__":
    print("\n".join(f"{key}={value}" for key, value in RUN_ENV.items()))
