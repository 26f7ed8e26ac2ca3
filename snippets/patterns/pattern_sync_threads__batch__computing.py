"""For: a batch job whose CPU time is spent in C code that releases the GIL (zlib, hashlib, NumPy, Pillow).

Copy this: a ThreadPoolExecutor with one thread per usable core over the independent pieces: no pickling, shared
memory, plain functions. For pure-Python loops use processes instead, unless you run free-threaded 3.13t/3.14t.
"""

import os
import sys
import tempfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# One thread per usable core. os.cpu_count() counts the host's cores and ignores container CPU quotas;
# sched_getaffinity honours cpusets only. Under a quota (docker --cpus), pass an explicit number instead.
WORKERS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def compress(path: Path) -> tuple[str, int, int]:
    """One independent piece: zlib releases the GIL while it compresses, so the threads use every core."""
    data = path.read_bytes()
    packed = zlib.compress(data, level=6)
    path.with_suffix(".z").write_bytes(packed)
    return path.name, len(data), len(packed)


def make_inputs(folder: Path, count: int) -> list[Path]:
    """Stands for: the job's input files (generated here, in a temporary folder)."""
    paths = [folder / f"log-{n}.txt" for n in range(count)]
    for n, path in enumerate(paths):
        path.write_bytes(b"".join(b"%d GET /item/%d 200\n" % (i, i * n % 997) for i in range(20_000)))
    return paths


if __name__ == "__main__":
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()  # False only on a free-threaded build
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(compress, make_inputs(Path(tmp), 8)))
    raw, packed = sum(r[1] for r in results), sum(r[2] for r in results)
    print(f"{len(results)} files compressed on {WORKERS} threads (GIL enabled: {gil}): {raw:,} -> {packed:,} bytes")
