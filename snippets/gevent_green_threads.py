"""gevent's green threads: sync code overlaps its waits once the blocking call is patched, and not before.

Twenty green threads each wait 50 ms, three times in one run:
1. with the standard library's own `time.sleep`, which knows nothing of gevent: the hub is blocked, the waits run
   one after another (the same trap as a blocking call inside `async def`);
2. with `gevent.sleep`, which switches to another green thread while it waits;
3. with `time.sleep` again, after `gevent.monkey.patch_time()` replaced it with gevent's version: the same sync code
   now overlaps, unchanged. Real programs call `gevent.monkey.patch_all()` first thing, before other imports.
Needs gevent (a C extension, not built for the in-browser Python on this site).
Run it: python snippets/gevent_green_threads.py
"""

import time

import gevent
from gevent import monkey

N, WAIT_S = 20, 0.05


def timed(wait: object) -> float:
    """Run N green threads that each call wait(WAIT_S); return the seconds until all have finished."""
    start = time.perf_counter()
    gevent.joinall([gevent.spawn(wait, WAIT_S) for _ in range(N)])
    return time.perf_counter() - start


def run() -> dict[str, float]:
    """The three timings, in seconds. Patches time.sleep for the whole process: call it in a process of its own."""
    blocking = timed(time.sleep)
    cooperative = timed(gevent.sleep)
    monkey.patch_time()
    patched = timed(time.sleep)  # the name time.sleep now refers to gevent's sleep
    return {"blocking": blocking, "cooperative": cooperative, "patched": patched}


if __name__ == "__main__":
    r = run()
    print(f"{N} green threads, each waiting {WAIT_S * 1000:.0f} ms (the sum of the waits is {N * WAIT_S:.2f} s):")
    print(f"  unpatched time.sleep:   {r['blocking']:.2f} s  (the hub is blocked: one wait at a time)")
    print(f"  gevent.sleep:           {r['cooperative']:.2f} s  ({r['blocking'] / r['cooperative']:.0f}x faster)")
    print(f"  patched time.sleep:     {r['patched']:.2f} s  ({r['blocking'] / r['patched']:.0f}x faster, same code)")
