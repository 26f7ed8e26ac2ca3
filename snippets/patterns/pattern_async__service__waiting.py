"""For: a busy web API (10-1,000+ requests/s) whose handlers wait on services that have async clients.

Copy this: `async def` endpoints that await async clients created once in the lifespan, fan-out inside a
request through a TaskGroup under one asyncio.timeout, and a Semaphore capping calls to each backend.
"""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message

REQUEST_TIMEOUT_S = 2.0


class Backend:
    """Stands for an async client (aiohttp.ClientSession, asyncpg pool) with a connection limit."""

    def __init__(self, limit: int) -> None:
        self._limit = asyncio.Semaphore(limit)  # at most `limit` calls in flight to this backend

    async def get(self, resource: str) -> str:
        """Fetch one resource without blocking the loop."""
        async with self._limit:
            await asyncio.sleep(0.05)  # stands for: await session.get(url) / await pool.fetchrow(...)
            return f"{resource}: ok"


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    """Create clients inside the running loop, once, and close them on shutdown."""
    app.state.backend = Backend(limit=100)  # stands for: aiohttp.ClientSession(...) / asyncpg.create_pool(...)
    yield
    # on shutdown: await session.close() / await pool.close()


async def dashboard(request: Request) -> JSONResponse:
    """Three independent waits overlap: the request takes as long as the slowest, not the sum."""
    backend: Backend = request.app.state.backend
    async with asyncio.timeout(REQUEST_TIMEOUT_S), asyncio.TaskGroup() as tg:  # keeps the task references
        tasks = [tg.create_task(backend.get(name)) for name in ("profile", "orders", "offers")]
    return JSONResponse([task.result() for task in tasks])


app = Starlette(routes=[Route("/dashboard", dashboard)], lifespan=lifespan)  # run: uvicorn module:app


async def asgi_get(app: ASGIApp, path: str) -> tuple[int, bytes]:
    """Send one GET through the ASGI interface in-process, as uvicorn would (no port is bound)."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app({"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b""}, receive, send)
    return sent[0]["status"], b"".join(message.get("body", b"") for message in sent[1:])


async def main() -> None:
    """Enter the lifespan by hand (uvicorn does this for you) and send 50 concurrent requests."""
    async with lifespan(app), asyncio.TaskGroup() as tg:
        calls = [tg.create_task(asgi_get(app, "/dashboard")) for _ in range(50)]
    status, body = calls[0].result()
    print(f"{len(calls)} concurrent requests, 3 backend calls each; first: {status} {json.loads(body)}")


if __name__ == "__main__":
    asyncio.run(main())
