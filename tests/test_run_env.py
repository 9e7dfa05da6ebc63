"""course_utils.run_env: the one run environment, and the notebooks' one-core switch."""

import subprocess
import sys

from course_utils import run_env


def test_the_run_environment_pins_one_thread_and_the_bundled_digits():
    env = run_env.run_env({"OMP_NUM_THREADS": "4", "HOME": "/h"})
    assert env["HOME"] == "/h" and env["COURSE_MNIST"] == "bundled"
    assert all(env[name] == "1" for name in run_env.THREAD_VARIABLES)
    assert not set(run_env.without_threads({"OMP_NUM_THREADS": "4"})) & set(run_env.THREAD_VARIABLES)


def test_use_one_core_limits_numpy_to_one_thread_with_no_thread_variables():
    """In a fresh process with the thread variables unset and 2 threads asked for, as a student's
    kernel might be: afterwards every BLAS library runs on one thread."""
    code = ("import threadpoolctl, numpy; threadpoolctl.threadpool_limits(2);"
            "before = {i['num_threads'] for i in threadpoolctl.threadpool_info()};"
            "import course_utils as cu; cu.use_one_core();"
            "after = {i['num_threads'] for i in threadpoolctl.threadpool_info()};"
            "print(sorted(before), sorted(after))")
    out = subprocess.run([sys.executable, "-c", code], env=run_env.without_threads(),
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[2] [1]"
