"""Raise the AnyIO thread limit of a Starlette (or FastAPI) app at startup, in its lifespan.

An endpoint reports the limit that the app's `def` endpoints run under. No server needed: the demo runs the
lifespan the way uvicorn would, and sends the request in-process through httpx2.ASGITransport.
Run it: python snippets/raise_thread_limit.py
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
import httpx2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

THREADS = 100


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    limiter = anyio.to_thread.current_default_thread_limiter()  # one per event loop: set it once the loop runs
    limiter.total_tokens = THREADS  # default: 40
    yield


async def limit(request: Request) -> PlainTextResponse:  # reports the limit `def` endpoints run under
    return PlainTextResponse(str(anyio.to_thread.current_default_thread_limiter().total_tokens))


app = Starlette(routes=[Route("/limit", limit)], lifespan=lifespan)  # FastAPI(lifespan=lifespan) works the same


async def served_limit() -> int:
    """Start the app (running its lifespan) and ask the endpoint for its thread limit."""
    async with app.router.lifespan_context(app):  # what the server does at startup and shutdown
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://app") as client:
            return int((await client.get("/limit")).text)


if __name__ == "__main__":
    print(f"AnyIO thread limit inside the running app: {asyncio.run(served_limit())}")
