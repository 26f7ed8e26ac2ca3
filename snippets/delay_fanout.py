"""Ten requests to an endpoint that answers each after 200 ms: one after another, then all in flight with gather.

In your browser, these requests go to this site's service worker, which answers each after the delay the URL asks
for (real `fetch` calls, real waits; nothing reaches a server). Under CPython they go to a small asyncio server on
127.0.0.1 that this program starts. The endpoint also says when it received and answered each request, so the
program can count how many were in flight there at once, beside how many it was itself waiting for. The two can
differ on a busy machine: when the ten requests take longer than 200 ms to reach the endpoint, its first answer
leaves before its last request arrives. Run it: python snippets/delay_fanout.py
"""

import asyncio
import contextlib
import json
import sys
import time
import urllib.parse
from collections.abc import AsyncIterator

REQUESTS = 10
DELAY_MS = 200

# --8<-- [start:endpoint]
# The delay endpoint: `get(url, ms, id)` asks it to answer after `ms` milliseconds. In your browser (Pyodide), it is
# a real fetch to this site's service worker, which answers __delay__/?ms=N itself after N ms (nothing reaches a
# server). Under CPython (the build, or `python` on your machine), a small asyncio HTTP server on 127.0.0.1 does the
# same. Either way the reply is JSON: {"id", "ms", "received", "answered"} (the endpoint's clock, ms since the epoch).
IN_BROWSER = sys.platform == "emscripten"
if IN_BROWSER:
    from pyodide.http import pyfetch
NOT_CONTROLLED = (
    "This site's service worker is not answering this page's requests yet (a first visit, or a browser without"
    " service workers): reload the page and press Run again."
)


async def get(url: str, ms: int, request_id: int) -> dict:
    """GET the delay endpoint; return its JSON reply."""
    query = f"?ms={ms}&id={request_id}"
    if IN_BROWSER:
        response = await pyfetch(url + query)
        if response.headers.get("x-asyncfit-delay") != "service-worker":  # a server's 404, not the worker
            raise SystemExit(NOT_CONTROLLED)
        return await response.json()
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(f"GET /__delay__/{query} HTTP/1.0\r\n\r\n".encode())
        reply = await reader.read()  # HTTP/1.0: the server closes the connection after its answer
    finally:
        writer.close()  # also when the caller gives up (a timeout): the server then stops waiting
    return json.loads(reply.partition(b"\r\n\r\n")[2])


@contextlib.asynccontextmanager
async def delay_endpoint() -> AsyncIterator[str]:
    """Yield the endpoint's URL: this site's service worker in the browser, else a local asyncio server."""
    if IN_BROWSER:
        yield "../../__delay__/"  # relative to the runner's worker script, <site>/assets/runner/worker.js
        return
    answering: set[asyncio.Task] = set()

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        answering.add(asyncio.current_task())
        received = time.time() * 1000
        request = await reader.readuntil(b"\r\n\r\n")
        params = urllib.parse.parse_qs(urllib.parse.urlsplit(request.split()[1].decode()).query)
        ms = int(params["ms"][0])
        try:
            async with asyncio.timeout(ms / 1000):
                await reader.read()  # returns early only if the client hangs up (it gave up waiting)
        except TimeoutError:  # the delay is over: answer
            reply = {"id": params["id"][0], "ms": ms, "received": received, "answered": time.time() * 1000}
            writer.write(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + json.dumps(reply).encode())
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    async with server:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/__delay__/"
        await asyncio.gather(*answering)  # one a caller gave up on ends as soon as it sees the hang-up


# --8<-- [end:endpoint]


def most_in_flight(replies: list[dict]) -> int:
    """The most requests the endpoint held at once (from its own received/answered times)."""
    events = sorted([(r["received"], 1) for r in replies] + [(r["answered"], -1) for r in replies])
    in_flight = most = 0
    for _, change in events:  # at a tie, an answer (-1) sorts before a new request (+1)
        in_flight += change
        most = max(most, in_flight)
    return most


class Waiting:
    """Calls get() and counts, on this program's side, the requests sent and not yet answered: now and at most."""

    def __init__(self) -> None:
        self.now = self.most = 0

    async def get(self, url: str, ms: int, request_id: int) -> dict:
        self.now += 1
        self.most = max(self.most, self.now)
        try:
            return await get(url, ms, request_id)
        finally:
            self.now -= 1


def report(label: str, seconds: float, waiting: Waiting, replies: list[dict]) -> None:
    """Print one way's time and both counts: this program's own, and the endpoint's (from its clock)."""
    at_endpoint = most_in_flight(replies)
    print(f"  {label} {seconds:.2f} s; waiting at once: {waiting.most} here, at most {at_endpoint} at the endpoint")
    if at_endpoint < waiting.most:
        print("    (the endpoint held fewer at once: its first answer left before the last request reached it)")


async def main() -> None:
    async with delay_endpoint() as url:
        start = time.perf_counter()
        sequential = Waiting()
        one_by_one = [await sequential.get(url, DELAY_MS, i) for i in range(REQUESTS)]
        sequential_s = time.perf_counter() - start

        start = time.perf_counter()
        together = Waiting()
        gathered = await asyncio.gather(*(together.get(url, DELAY_MS, i) for i in range(REQUESTS)))
        gather_s = time.perf_counter() - start
    where = "this site's service worker" if IN_BROWSER else "a local asyncio server"
    print(f"{REQUESTS} requests, each answered after {DELAY_MS} ms by {where}")
    report("one after another:", sequential_s, sequential, one_by_one)
    report("asyncio.gather:   ", gather_s, together, gathered)
    print(f"  gather was {sequential_s / gather_s:.1f}x faster: the waits overlapped")


asyncio.run(main())
