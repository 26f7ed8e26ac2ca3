"""asyncio.timeout around a real request: a quick answer arrives, a slow one is given up on when the timeout fires.

In your browser, these requests go to this site's service worker, which answers each after the delay the URL asks
for (real `fetch` calls; nothing reaches a server). Under CPython they go to a small asyncio server on 127.0.0.1
that this program starts. Run it: python snippets/delay_timeout.py
"""

import asyncio
import contextlib
import json
import sys
import time
import urllib.parse
from collections.abc import AsyncIterator

TIMEOUT_S = 0.5

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


async def main() -> None:
    async with delay_endpoint() as url:
        for ms in (100, 2000):
            start = time.perf_counter()
            try:
                async with asyncio.timeout(TIMEOUT_S):
                    reply = await get(url, ms, ms)
                outcome = f"answered (id {reply['id']})"
            except TimeoutError:
                outcome = "TimeoutError, request given up"
            took = time.perf_counter() - start
            print(f"answer after {ms / 1000:.1f} s, asyncio.timeout({TIMEOUT_S}): {outcome} after {took:.2f} s")


asyncio.run(main())
