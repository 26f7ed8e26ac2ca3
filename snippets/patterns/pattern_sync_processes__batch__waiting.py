"""For: a batch job that waits on a sync-only SDK that is not thread-safe (global state, a C driver that may crash).

Copy this: a process pool whose initializer gives each worker its own client; since workers mostly wait, size the
pool by what the remote side and memory allow, not by cores. A crashed worker surfaces as BrokenProcessPool.
"""

import os
import time
from concurrent.futures import ProcessPoolExecutor

PROCESSES = 6  # explicit: they mostly wait, so more than the cores is fine; each costs a process's memory
TIMEOUT_S = 10.0


class LegacyClient:
    """Stands for a vendor SDK client that must not be shared between threads."""

    def __init__(self, account: str) -> None:
        self.account, self.pid = account, os.getpid()  # stands for: vendor_sdk.connect(account), once per process

    def export(self, report_id: int, timeout: float) -> int:
        """One blocking call with the SDK's own timeout."""
        time.sleep(min(0.05, timeout))  # stands for: self.session.export_report(report_id, timeout=timeout)
        return report_id % 7


_worker: dict[str, LegacyClient] = {}  # this process's client, set by the pool's initializer


def start_worker(account: str) -> None:
    """Connect once in each worker process, before it takes any job."""
    _worker["client"] = LegacyClient(account)


def export(report_id: int) -> tuple[int, int]:
    """Export one report in a worker process, with that process's client; return small, picklable values."""
    client = _worker["client"]
    return client.pid, client.export(report_id, timeout=TIMEOUT_S)


if __name__ == "__main__":  # required: worker processes import this module
    with ProcessPoolExecutor(max_workers=PROCESSES, initializer=start_worker, initargs=("acme",)) as pool:
        results = list(pool.map(export, range(36)))
    pids = {pid for pid, _ in results}
    checksum = sum(value for _, value in results)
    print(f"{len(results)} reports exported by {len(pids)} processes, one client each; checksum {checksum}")
