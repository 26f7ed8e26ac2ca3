"""Fifty HTTP requests to a server that takes 50 ms to answer: one after another, then all in flight at once.

The server is local (127.0.0.1, a free port) and only adds latency, standing in for a remote API.
Run it: python snippets/http_fanout.py
"""

import asyncio
import contextlib
import http.server
import threading
import time
from collections.abc import Iterator

import httpx2

REQUESTS = 50
LATENCY_S = 0.05


# --8<-- [start:server]
class SlowHandler(http.server.BaseHTTPRequestHandler):
    """Answer every GET with "ok" after `latency` seconds, like a remote API would."""

    protocol_version = "HTTP/1.1"  # keep-alive, as real APIs do
    disable_nagle_algorithm = True  # send each small response at once
    latency = LATENCY_S

    def do_GET(self) -> None:
        time.sleep(self.latency)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:  # keep the output quiet
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # many clients connect at once


@contextlib.contextmanager
def latency_server(latency: float = LATENCY_S) -> Iterator[str]:
    """Serve on a free port of 127.0.0.1 in a background thread; yield the base URL; shut down on exit."""
    handler = type("Handler", (SlowHandler,), {"latency": latency})
    server = Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --8<-- [end:server]


# --8<-- [start:clients]
def fetch_all_sync(url: str, n: int) -> float:
    """Send n requests with the sync client, one after another; return the seconds taken."""
    start = time.perf_counter()
    with httpx2.Client() as client:
        for _ in range(n):
            client.get(url).raise_for_status()  # the program waits here, doing nothing else
    return time.perf_counter() - start


async def fetch_all_async(url: str, n: int) -> float:
    """Send n requests with the async client, all in flight at once; return the seconds taken."""
    start = time.perf_counter()
    async with httpx2.AsyncClient() as client:
        responses = await asyncio.gather(*(client.get(url) for _ in range(n)))
    for response in responses:
        response.raise_for_status()
    return time.perf_counter() - start


# --8<-- [end:clients]


def compare(n: int = REQUESTS, latency: float = LATENCY_S) -> tuple[float, float]:
    """Run both clients against one local latency server; return (sync seconds, async seconds)."""
    with latency_server(latency) as url:
        sync_s = fetch_all_sync(url, n)
        async_s = asyncio.run(fetch_all_async(url, n))
    return sync_s, async_s


if __name__ == "__main__":
    sync_s, async_s = compare()
    print(f"{REQUESTS} requests, {LATENCY_S * 1000:.0f} ms of server latency each")
    print(f"  httpx2.Client, one after another: {sync_s:.2f} s")
    print(f"  httpx2.AsyncClient + gather:      {async_s:.2f} s")
    print(f"  async was {sync_s / async_s:.1f}x faster: the waits overlapped")
