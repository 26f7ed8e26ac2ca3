"""For: a sync web app (Django, Flask) that waits on its DB and must serve more than one process can.

Copy this: run several copies of the unchanged sync app, `gunicorn --workers 4 --timeout 30 app:app`, and open
each client lazily inside the worker process (connections and sockets must never cross a fork).
"""

import functools
import json
import os
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from wsgiref.types import StartResponse, WSGIEnvironment
from wsgiref.util import setup_testing_defaults

DB_TIMEOUT_S = 2.0
# gunicorn's rule of thumb for sync workers is 2 x cores + 1, bounded by memory: each worker is a whole process.
# os.cpu_count() ignores container CPU quotas, so in a container pass --workers N explicitly.
WORKERS = 4


class Database:
    """Stands for a driver connection (psycopg.connect(...)): one per process, created after the fork."""

    def __init__(self) -> None:
        self.pid = os.getpid()

    def order(self, order_id: int, timeout: float) -> dict[str, object]:
        """Fetch one order; gives up after `timeout` seconds."""
        time.sleep(min(0.05, timeout))  # stands for: cursor.execute("SELECT ...", (order_id,))
        return {"id": order_id, "served_by": self.pid}


@functools.cache  # lazily, once per process: never at import time, which would run before gunicorn forks
def database() -> Database:
    """Return this process's connection, opening it on first use."""
    return Database()


def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """WSGI entry point: plain sync code; each worker process handles one request at a time."""
    order_id = int(environ["PATH_INFO"].removeprefix("/orders/"))
    body = json.dumps(database().order(order_id, timeout=DB_TIMEOUT_S)).encode()
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]


def serve(path: str) -> dict[str, object]:
    """Stands for one gunicorn worker answering a request (called in-process: no port is bound)."""
    environ: WSGIEnvironment = {}
    setup_testing_defaults(environ)
    environ["PATH_INFO"] = path
    return json.loads(b"".join(app(environ, lambda status, headers, exc_info=None: None)))


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=WORKERS) as workers:  # stands for: gunicorn --workers 4
        answers = list(workers.map(serve, [f"/orders/{n}" for n in range(16)]))
    pids = {answer["served_by"] for answer in answers}
    print(f"{len(answers)} requests served by {len(pids)} of {WORKERS} worker processes, each with its own connection")
