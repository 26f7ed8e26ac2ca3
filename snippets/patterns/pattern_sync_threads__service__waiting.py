"""For: a web API at moderate load (1-100 requests/s) whose handlers wait on sync-only libraries (psycopg, boto3).

Copy this: keep the sync handler and run it on threads (`gunicorn -k gthread --workers 2 --threads 16 app:app`);
share connections through a bounded, thread-safe pool sized to the threads, with a timeout on checkout and calls.
"""

import contextlib
import queue
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

THREADS = 16  # per worker process: how many requests may wait at once
CHECKOUT_TIMEOUT_S = 1.0  # a request waits at most this long for a free connection, then fails fast
QUERY_TIMEOUT_S = 2.0


class Connection:
    """One DB connection: used by one thread at a time, never shared mid-query."""

    def __init__(self, number: int) -> None:
        self.number = number

    def query(self, sql: str, params: tuple[object, ...], timeout: float) -> str:
        """Run one parameterised query; gives up after `timeout` seconds."""
        time.sleep(min(0.05, timeout))  # stands for: cursor.execute(sql, params) with statement_timeout
        return f"user {params[0]}: found"


class ConnectionPool:
    """Stands for your driver's pool (psycopg_pool.ConnectionPool(max_size=THREADS), SQLAlchemy pool_size=...)."""

    def __init__(self, size: int) -> None:
        self._idle: queue.LifoQueue[Connection] = queue.LifoQueue()
        for number in range(size):
            self._idle.put(Connection(number))

    @contextlib.contextmanager
    def connection(self, timeout: float) -> Iterator[Connection]:
        """Borrow a connection; raises queue.Empty if none frees up within `timeout`."""
        conn = self._idle.get(timeout=timeout)
        try:
            yield conn
        finally:
            self._idle.put(conn)


POOL = ConnectionPool(size=THREADS)  # one per worker process, shared by its threads


def handle(user_id: int) -> str:
    """Handle one request: ordinary sync code, safe to run on many threads at once."""
    with POOL.connection(timeout=CHECKOUT_TIMEOUT_S) as conn:
        return conn.query("SELECT * FROM users WHERE id = %s", (user_id,), timeout=QUERY_TIMEOUT_S)


if __name__ == "__main__":
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=THREADS) as server:  # stands for: gunicorn's gthread worker
        answers = list(server.map(handle, range(32)))
    elapsed = time.perf_counter() - started
    print(f"{len(answers)} requests on {THREADS} threads; waits overlapped: {elapsed < 32 * 0.05 / 4}; {answers[:2]}")
