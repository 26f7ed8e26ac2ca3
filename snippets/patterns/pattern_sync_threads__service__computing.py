"""For: a queue worker (or web API) whose CPU work runs in C code that releases the GIL: hashlib, zlib, NumPy, Pillow.

Copy this: a thread pool sized to the usable cores runs the jobs in parallel, with no pickling and shared memory.
It only helps because the hot loop is C code that drops the GIL; pure-Python loops need processes (or 3.13t/3.14t).
"""

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor

# One thread per usable core: more would only queue for the same cores. os.cpu_count() counts the host's cores
# and ignores container CPU quotas; sched_getaffinity honours cpusets. Under a quota (docker --cpus), set it explicitly.
WORKERS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
BATCH_TIMEOUT_S = 30.0


def checksum(blob: bytes) -> str:
    """Hash one blob: hashlib releases the GIL for inputs over 2 KiB, so the threads really run in parallel."""
    return hashlib.sha256(blob).hexdigest()[:16]


def receive_batch(count: int) -> list[bytes]:
    """Stands for: the worker pulling uploaded blobs off its queue (sqs.receive_message + s3 get)."""
    return [index.to_bytes(4, "big") * 500_000 for index in range(count)]  # 2 MB each


def handle_batch(pool: ThreadPoolExecutor, blobs: list[bytes]) -> list[str]:
    """Fan the batch out over the pool; give up on the whole batch after BATCH_TIMEOUT_S."""
    return list(pool.map(checksum, blobs, timeout=BATCH_TIMEOUT_S))


if __name__ == "__main__":
    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="cpu") as pool:  # one pool for the process
        digests = handle_batch(pool, receive_batch(8))
    print(f"{len(digests)} blobs checksummed on {WORKERS} threads; first: {digests[0]}")
