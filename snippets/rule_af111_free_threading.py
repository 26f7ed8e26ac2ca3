import sys
import sysconfig
import threading
import time


def spin(n: int) -> None:
    while n:
        n -= 1


def timed(threads: int, work: int) -> float:
    start = time.perf_counter()
    workers = [threading.Thread(target=spin, args=(work // threads,)) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - start


is_gil_enabled = getattr(sys, "_is_gil_enabled", lambda: True)
build = "free-threaded" if sysconfig.get_config_var("Py_GIL_DISABLED") else "standard (GIL)"
print(f"Python {sys.version.split()[0]}, {build} build, GIL enabled now: {is_gil_enabled()}")
one, two = timed(1, 4_000_000), timed(2, 4_000_000)
print(f"same CPU work, 1 thread: {one:.2f} s, 2 threads: {two:.2f} s ({one / two:.1f}x)")
