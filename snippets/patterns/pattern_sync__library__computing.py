"""For: a package others import whose functions compute (parsers, scoring, simulations).

Copy this: plain, pure, top-level functions over small picklable values, with no pools, threads or cpu_count()
inside. The caller decides whether to parallelise and passes their own executor, as the demo at the bottom does.
"""

import functools
from collections.abc import Iterable
from concurrent.futures import Executor, ProcessPoolExecutor


def distance(a: str, b: str) -> int:
    """Levenshtein edit distance: pure Python, deterministic, no I/O."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def closest(word: str, candidates: Iterable[str], *, executor: Executor | None = None) -> str:
    """Return the candidate nearest to `word`; pass an executor to spread the work (top-level functions pickle)."""
    pool = list(candidates)
    if executor is None:
        distances = [distance(word, candidate) for candidate in pool]
    else:  # chunksize batches the pickling: one round trip per 64 candidates, not per candidate
        distances = list(executor.map(functools.partial(distance, word), pool, chunksize=64))
    return pool[distances.index(min(distances))]


if __name__ == "__main__":  # caller code, not library code: the caller owns and sizes the pool
    words = [f"{stem}{n}" for n in range(200) for stem in ("parallel", "parse", "pattern", "process")]
    print(closest("paralel", words))
    with ProcessPoolExecutor(max_workers=2) as pool:  # explicit: this caller wants 2 worker processes
        print(closest("procese", words, executor=pool))
