"""How many CPUs may this process use, and what do the pools think? In a container they often disagree.

os.cpu_count() counts the host's CPUs; os.process_cpu_count() (3.13+) counts those this process may run on (its
CPU affinity). Neither reads the cgroup CPU quota that `docker run --cpus=2` or a Kubernetes `limits.cpu` sets
(CPython issues 80235 and 149452), so in a quota-limited pod ThreadPoolExecutor(), asyncio's default executor and
ProcessPoolExecutor() are sized from the host. This reads the quota (cgroup v2 `cpu.max`, or v1
`cpu.cfs_quota_us` / `cpu.cfs_period_us`) and derives explicit pool sizes from it.
Run it: python snippets/cpu_quota.py
"""

import math
import os
import sys
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")


def quota_cpus(root: Path = CGROUP) -> float | None:
    """The CPU quota in CPUs (2.5 for `--cpus=2.5`), or None when no quota is set or none is visible."""
    v2 = root / "cpu.max"
    if v2.is_file():
        quota, _, period = v2.read_text().strip().partition(" ")
        return None if quota == "max" else int(quota) / int(period or 100_000)
    v1_quota, v1_period = root / "cpu" / "cpu.cfs_quota_us", root / "cpu" / "cpu.cfs_period_us"
    if v1_quota.is_file() and v1_period.is_file():
        quota_us = int(v1_quota.read_text())
        return None if quota_us <= 0 else quota_us / int(v1_period.read_text())
    return None


def usable_cpus(root: Path = CGROUP) -> int:
    """CPUs this process can use: its affinity (3.13+; before, os.cpu_count()), capped by the quota rounded up."""
    affinity = getattr(os, "process_cpu_count", os.cpu_count)() or 1
    quota = quota_cpus(root)
    return affinity if quota is None else max(1, min(affinity, math.ceil(quota)))


def pool_sizes(root: Path = CGROUP) -> dict[str, int]:
    """Explicit sizes to pass as max_workers: processes for CPU work, threads with the stdlib's formula."""
    cpus = usable_cpus(root)
    return {"ProcessPoolExecutor(max_workers=...)": cpus, "ThreadPoolExecutor(max_workers=...)": min(32, cpus + 4)}


if __name__ == "__main__":
    print(f"Python {sys.version.split()[0]}")
    print(f"  os.cpu_count()             {os.cpu_count()}")
    if hasattr(os, "process_cpu_count"):
        print(f"  os.process_cpu_count()     {os.process_cpu_count()}")
    quota = quota_cpus()
    print(f"  cgroup CPU quota           {'none set (or not visible)' if quota is None else f'{quota:g} CPUs'}")
    for name, size in pool_sizes().items():
        print(f"  {name:<38} {size}")
