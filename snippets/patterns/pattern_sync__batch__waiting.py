"""For: a script, CLI or cron job that makes a handful of network or DB calls, one after another.

Copy this: plain sequential calls, each with a timeout and a few retries with backoff for transient errors,
and a main() that returns an exit code. A handful of waits in a row finish in seconds: nothing to overlap.
"""

import argparse
import functools
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

TIMEOUT_S = 10.0
_failures_left = {"eu-west": 1}  # the demo's stand-in: this region times out once, then answers


def fetch_usage(region: str, timeout: float) -> int:
    """One blocking call with its own timeout."""
    time.sleep(min(0.02, timeout))  # stands for: urllib.request.urlopen(f"{API}/usage/{region}", timeout=timeout)
    if _failures_left.get(region, 0):
        _failures_left[region] -= 1
        raise TimeoutError(f"{region}: read timed out")
    return len(region) * 100


def with_retries(call: Callable[[], T], attempts: int = 3, backoff_s: float = 0.05) -> T:
    """Retry transient errors (timeouts, resets), waiting twice as long each time."""
    for attempt in range(attempts - 1):
        try:
            return call()
        except (TimeoutError, ConnectionError):
            time.sleep(backoff_s * 2**attempt)
    return call()  # the last attempt: its error propagates


def main(argv: list[str] | None = None) -> int:
    """Fetch each region's usage in turn and print a total."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("regions", nargs="*", default=["us-east", "eu-west", "ap-south"])
    args = parser.parse_args(argv)
    total = 0
    for region in args.regions:
        total += with_retries(functools.partial(fetch_usage, region, timeout=TIMEOUT_S))
    print(f"usage across {len(args.regions)} regions: {total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
