"""For: a package others import (an SDK, an API client) whose calls wait on the network.

Copy this: a plain sync client with a timeout on every call and a swappable transport, and no threads, pools or
event loop of its own. Callers who want concurrency bring their own executor, as the demo at the bottom does.
"""

import json
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

Transport = Callable[[str, float], bytes]  # (url, timeout in seconds) -> response body


def _stand_in_transport(url: str, timeout: float) -> bytes:
    time.sleep(min(0.05, timeout))  # stands for: urllib.request.urlopen(url, timeout=timeout).read()
    return json.dumps({"city": url.rsplit("/", 1)[-1], "temp_c": 21}).encode()


class WeatherClient:
    """Sync client. Holds no mutable state after __init__, so one instance may be shared across threads."""

    def __init__(
        self,
        base_url: str = "https://api.example.com",
        timeout: float = 10.0,
        transport: Transport = _stand_in_transport,
    ) -> None:
        self.base_url, self.timeout, self._transport = base_url.rstrip("/"), timeout, transport

    def current(self, city: str, *, timeout: float | None = None) -> dict[str, Any]:
        """Return the current weather for `city`; raise TimeoutError after `timeout` s (default: the client's)."""
        body = self._transport(f"{self.base_url}/v1/current/{city}", self.timeout if timeout is None else timeout)
        return json.loads(body)

    def current_many(self, cities: Iterable[str], *, executor: Executor | None = None) -> list[dict[str, Any]]:
        """Call once per city, in order; pass an executor to overlap the calls (the library never creates one)."""
        mapper = executor.map if executor is not None else map
        return list(mapper(self.current, cities))


if __name__ == "__main__":  # caller code, not library code
    client = WeatherClient(timeout=5.0)
    print(client.current("oslo"))
    with ThreadPoolExecutor(max_workers=8) as pool:  # the caller chooses and sizes the pool
        print([report["city"] for report in client.current_many(["oslo", "lima", "pune"], executor=pool)])
