"""For: a low-traffic web API (a handful of users, under 1 request/s) whose time goes to one DB or HTTP wait.

Copy this: a plain sync handler whose one blocking call has a timeout. Serve it with any WSGI server
(`gunicorn app:app`); at this load one request at a time keeps up, so there is no concurrency to get wrong.
"""

import json
import time
from collections.abc import Iterable
from wsgiref.types import StartResponse, WSGIEnvironment
from wsgiref.util import setup_testing_defaults

DB_TIMEOUT_S = 2.0  # a hung database must not hang the worker forever


def load_order(order_id: int, timeout: float) -> dict[str, object]:
    """Fetch one order from the database; gives up after `timeout` seconds."""
    time.sleep(min(0.02, timeout))  # stands for: cursor.execute("SELECT ...", (order_id,)) with statement_timeout
    return {"id": order_id, "status": "shipped"}


def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """WSGI entry point: read the request, make the one call, answer. Top to bottom, nothing else."""
    try:
        order_id = int(environ["PATH_INFO"].removeprefix("/orders/"))
    except ValueError:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"no such order"]
    body = json.dumps(load_order(order_id, timeout=DB_TIMEOUT_S)).encode()
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]


def get(path: str) -> tuple[str, bytes]:
    """Call the app in-process, the way a WSGI server would (no port is bound)."""
    environ: WSGIEnvironment = {}
    setup_testing_defaults(environ)
    environ["PATH_INFO"] = path
    statuses: list[str] = []
    body = b"".join(app(environ, lambda status, headers, exc_info=None: statuses.append(status)))
    return statuses[0], body


if __name__ == "__main__":
    for path in ("/orders/7", "/orders/oops"):
        status, body = get(path)
        print(f"GET {path} -> {status} {body.decode()}")
