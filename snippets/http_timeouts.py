"""httpx2's four timeouts, each seen firing: connect, read, write and pool.

A local server (127.0.0.1) answers after 0.3 s. `httpx2.Timeout(5.0, read=0.1)` gives up on the reply after 0.1 s
(ReadTimeout). With one connection and `pool=0.05`, a second concurrent request gives up waiting for that connection
(PoolTimeout). `connect=` bounds opening the TCP (and TLS) connection and `write=` sending the request body; the
default is 5 s for all four. A timeout that never fires is printed as "ok". Run it: python snippets/http_timeouts.py
"""

import asyncio
import contextlib
import http.server
import threading
import time
from collections.abc import Iterator

import httpx2

LATENCY_S = 0.3


class SlowHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        time.sleep(LATENCY_S)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client may have given up already
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


@contextlib.contextmanager
def slow_server() -> Iterator[str]:
    server = Server(("127.0.0.1", 0), SlowHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


async def attempt(client: httpx2.AsyncClient, url: str) -> tuple[str, float]:
    start = time.perf_counter()
    try:
        await client.get(url)
        outcome = "ok"
    except httpx2.TimeoutException as error:
        outcome = type(error).__name__
    return outcome, time.perf_counter() - start


async def main(url: str) -> dict[str, list[tuple[str, float]]]:
    async with httpx2.AsyncClient(timeout=httpx2.Timeout(5.0, read=0.1)) as client:
        read = [await attempt(client, url)]
    one_connection = httpx2.Limits(max_connections=1)
    async with httpx2.AsyncClient(limits=one_connection, timeout=httpx2.Timeout(5.0, pool=0.05)) as client:
        pool = list(await asyncio.gather(attempt(client, url), attempt(client, url)))
    return {"read=0.1": read, "pool=0.05, 1 connection, 2 requests": pool}


def run() -> dict[str, list[tuple[str, float]]]:
    with slow_server() as url:
        return asyncio.run(main(url))


if __name__ == "__main__":
    print(f"the server answers after {LATENCY_S} s; httpx2 {httpx2.__version__} defaults: {httpx2.Timeout(5.0)}")
    for name, results in run().items():
        print(f"  {name:<38} " + "; ".join(f"{outcome} after {t:.2f} s" for outcome, t in results))
