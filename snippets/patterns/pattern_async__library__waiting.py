"""For: a package others import (an SDK, an API client) used from both sync code and asyncio applications.

Copy this: a sync Client and an AsyncClient side by side, sharing the request-building and parsing code (no I/O
in it), each with a timeout. The library never calls asyncio.run: the caller owns the loop, as the demo shows.
"""

import asyncio
import json
import time
from typing import Any, NamedTuple, Self


class Request(NamedTuple):
    """What to send: built once, sent by either client."""

    method: str
    url: str


def _build_request(base_url: str, city: str) -> Request:
    """Shared by both clients: everything except the I/O."""
    return Request("GET", f"{base_url.rstrip('/')}/v1/current/{city}")


def _parse(body: bytes) -> dict[str, Any]:
    """Shared by both clients: validate and convert the response."""
    data = json.loads(body)
    return {"city": data["city"], "temp_c": float(data["temp_c"])}


def _fake_body(request: Request) -> bytes:
    return json.dumps({"city": request.url.rsplit("/", 1)[-1], "temp_c": 21}).encode()


class Client:
    """Sync client: for scripts, Django/Flask views, threads."""

    def __init__(self, base_url: str = "https://api.example.com", timeout: float = 10.0) -> None:
        self.base_url, self.timeout = base_url, timeout

    def current(self, city: str) -> dict[str, Any]:
        """Return the current weather for `city`; give up after the client's timeout."""
        request = _build_request(self.base_url, city)
        time.sleep(min(0.05, self.timeout))  # stands for: urllib.request.urlopen(request.url, timeout=self.timeout)
        return _parse(_fake_body(request))


class AsyncClient:
    """Async client: for asyncio applications. Create it inside the running loop and reuse it."""

    def __init__(self, base_url: str = "https://api.example.com", timeout: float = 10.0) -> None:
        self.base_url, self.timeout = base_url, timeout

    async def current(self, city: str) -> dict[str, Any]:
        """Return the current weather for `city`; raise TimeoutError after the client's timeout."""
        request = _build_request(self.base_url, city)
        async with asyncio.timeout(self.timeout):
            await asyncio.sleep(0.05)  # stands for: await self._session.request(request.method, request.url)
        return _parse(_fake_body(request))

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Close connections here: await self._session.close()."""


async def _async_caller() -> list[dict[str, Any]]:  # caller code: the application owns the loop
    async with AsyncClient(timeout=5.0) as client, asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(client.current(city)) for city in ("oslo", "lima", "pune")]
    return [task.result() for task in tasks]


if __name__ == "__main__":
    print("sync caller: ", Client(timeout=5.0).current("oslo"))
    print("async caller:", [report["city"] for report in asyncio.run(_async_caller())])
