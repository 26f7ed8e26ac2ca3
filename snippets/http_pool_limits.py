"""More requests in flight than the connection pool allows: httpx2.PoolTimeout, and the fix (a semaphore).

A local server (127.0.0.1, a free port) answers after 200 ms. The client allows 5 connections and waits at most
100 ms for a free one: 20 requests launched at once with gather overflow the pool.
Run it: python snippets/http_pool_limits.py
"""

import asyncio
import contextlib
import http.server
import threading
import time
from collections import Counter
from collections.abc import Iterator

import httpx2
from httpx2._config import DEFAULT_LIMITS, DEFAULT_TIMEOUT_CONFIG  # what a client uses when given no limits

REQUESTS = 20
LATENCY_S = 0.2
LIMITS = httpx2.Limits(max_connections=5)
TIMEOUT = httpx2.Timeout(5.0, pool=0.1)  # wait at most 0.1 s for a free connection


class SlowHandler(http.server.BaseHTTPRequestHandler):
    """Answer every GET with "ok" after `latency` seconds."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    latency = LATENCY_S

    def do_GET(self) -> None:
        time.sleep(self.latency)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


@contextlib.contextmanager
def latency_server(latency: float = LATENCY_S) -> Iterator[str]:
    """Serve on a free port of 127.0.0.1 in a background thread; yield the base URL; shut down on exit."""
    server = Server(("127.0.0.1", 0), type("Handler", (SlowHandler,), {"latency": latency}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def outcome(result: httpx2.Response | BaseException) -> str:
    """Name what happened to one request: its status code or its exception class."""
    return type(result).__name__ if isinstance(result, BaseException) else str(result.status_code)


# --8<-- [start:unbounded]
async def unbounded(url: str, n: int = REQUESTS) -> Counter[str]:
    """Launch all n requests at once: more than the pool holds."""
    async with httpx2.AsyncClient(limits=LIMITS, timeout=TIMEOUT) as client:
        results = await asyncio.gather(*(client.get(url) for _ in range(n)), return_exceptions=True)
    return Counter(outcome(r) for r in results)


# --8<-- [end:unbounded]


# --8<-- [start:bounded]
async def bounded(url: str, n: int = REQUESTS, limit: int = 5) -> Counter[str]:
    """Launch all n tasks, but let at most `limit` requests be in flight: the rest wait their turn."""
    semaphore = asyncio.Semaphore(limit)

    async def get(client: httpx2.AsyncClient) -> httpx2.Response:
        async with semaphore:  # waits here, not inside the pool, while `limit` requests are running
            return await client.get(url)

    async with httpx2.AsyncClient(limits=LIMITS, timeout=TIMEOUT) as client:
        results = await asyncio.gather(*(get(client) for _ in range(n)), return_exceptions=True)
    return Counter(outcome(r) for r in results)


# --8<-- [end:bounded]


def run_both() -> tuple[Counter[str], Counter[str]]:
    """Run the unbounded and the bounded version against one local server."""
    with latency_server() as url:
        return asyncio.run(unbounded(url)), asyncio.run(bounded(url))


if __name__ == "__main__":
    print(f"httpx {httpx2.__version__} defaults: {DEFAULT_LIMITS}, {DEFAULT_TIMEOUT_CONFIG}")
    print(f"{REQUESTS} requests, pool of {LIMITS.max_connections}, pool timeout {TIMEOUT.pool} s:")
    without, with_semaphore = run_both()
    print("  gather, no bound:    ", dict(without))
    print("  gather + Semaphore(5):", dict(with_semaphore))
