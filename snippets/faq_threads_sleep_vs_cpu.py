import threading
import time


def wait() -> None:
    time.sleep(0.1)  # I/O-like: releases the GIL while it waits


def crunch() -> None:
    n = 0
    for i in range(1_000_000):  # pure-Python loop: holds the GIL
        n += i


def one_by_one(job: object) -> float:
    start = time.perf_counter()
    for _ in range(4):
        job()  # type: ignore[operator]
    return time.perf_counter() - start


def in_threads(job: object) -> float:
    start = time.perf_counter()
    workers = [threading.Thread(target=job) for _ in range(4)]  # type: ignore[arg-type]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - start


for job in (wait, crunch):
    seq, thr = one_by_one(job), in_threads(job)
    print(f"4 x {job.__name__:<6} one by one {seq:.2f} s, 4 threads {thr:.2f} s: {seq / thr:.1f}x")
