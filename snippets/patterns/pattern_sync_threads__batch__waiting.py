"""For: a script or pipeline that makes tens to hundreds of independent blocking calls (HTTP, S3, a DB).

Copy this: a ThreadPoolExecutor sized to the fan-out you want (not the default), a timeout on every call, one
client per thread, and as_completed so one failed item is reported without stopping the batch.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

MAX_IN_FLIGHT = 16  # sized on purpose: what the remote side tolerates, not what the machine can do
TIMEOUT_S = 10.0
_local = threading.local()


class Client:
    """Stands for a client that is not safe to share between threads (requests.Session, a DB connection)."""

    def get(self, item_id: int, timeout: float) -> int:
        """One blocking call; gives up after `timeout` seconds."""
        time.sleep(min(0.05, timeout))  # stands for: session.get(f"{API}/items/{item_id}", timeout=timeout)
        if item_id == 13:
            raise ConnectionError("connection reset by peer")
        return item_id * 2


def client() -> Client:
    """Return this thread's own client, created on first use and reused for every item it handles."""
    if not hasattr(_local, "client"):
        _local.client = Client()
    return _local.client


def fetch(item_id: int) -> int:
    """Fetch one item, on a pool thread."""
    return client().get(item_id, timeout=TIMEOUT_S)


if __name__ == "__main__":
    results: dict[int, int] = {}
    failures: dict[int, str] = {}
    with ThreadPoolExecutor(max_workers=MAX_IN_FLIGHT, thread_name_prefix="fetch") as pool:
        futures = {pool.submit(fetch, item_id): item_id for item_id in range(100)}
        for future in as_completed(futures):
            try:
                results[futures[future]] = future.result()
            except ConnectionError as exc:  # record and carry on; a retry would go here
                failures[futures[future]] = str(exc)
    print(f"{len(results)} fetched, {len(failures)} failed: {failures}; sum = {sum(results.values())}")
