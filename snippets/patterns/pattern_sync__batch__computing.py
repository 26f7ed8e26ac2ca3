"""For: a script or pipeline step whose time goes to one computation that cannot be split up.

Copy this: plain sequential code in small functions, streaming the input instead of loading it whole. Measure
before parallelising: `python -m cProfile -s cumtime job.py`; a numeric loop usually wants NumPy, not more cores.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator


def read_rows(lines: Iterable[str]) -> Iterator[tuple[str, float]]:
    """Parse lazily: one row in memory at a time, however big the file."""
    for row in csv.DictReader(lines):
        yield row["region"], float(row["amount"])


def totals_by_region(rows: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Sum amounts per region: a single pass that needs every row, so it stays one sequential loop."""
    totals: dict[str, float] = defaultdict(float)
    for region, amount in rows:
        totals[region] += amount
    return dict(totals)


def sample_input(rows: int) -> io.StringIO:
    """Stands for: open("sales.csv", newline="") (generated here so the demo needs no files)."""
    regions = ("north", "south", "east", "west")
    body = "".join(f"{regions[n % 4]},{n % 100}.5\n" for n in range(rows))
    return io.StringIO("region,amount\n" + body)


if __name__ == "__main__":
    totals = totals_by_region(read_rows(sample_input(100_000)))
    print("totals over 100,000 rows:", {region: round(total) for region, total in sorted(totals.items())})
