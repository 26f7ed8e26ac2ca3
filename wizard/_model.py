"""A back-of-the-envelope queueing model: how long a batch of operations takes under each concurrency model.

The workload: n operations, each waiting w seconds (network, database, disk) and computing c seconds on the CPU;
at most k operations can be in flight at once (the fan-out); the machine has p cores. Then:

    sync       = n * (w + c)                                  one after another
    threads    = ceil(n / min(k, T)) * w  +  n * c            T = min(32, p + 4), ThreadPoolExecutor's default;
                                                              the GIL serialises the CPU part
                 ceil(n / min(k, T)) * w  +  n * c / min(k, T, p)  on a free-threaded build
    async      = ceil(n / k) * w  +  n * c                    one event loop: waits overlap, CPU work does not
    processes  = ceil(n / min(k, p)) * (w + c)  +  startup    one worker per core; each runs its share in sequence

Assumptions (stated on every estimate): waits overlap perfectly up to the limit (no server-side queueing, no
connection-pool limit below k), CPU work is spread evenly, no scheduling, pickling or context-switch overhead,
and the async figure assumes async clients (a blocking call inside async def makes it the sync figure).
It is a model for comparing orders of magnitude, not a benchmark: the site's performance page measures.

Bucket answers map to representative numbers in wizard/data/model.toml (fan-out -> k, latency -> w,
time share -> c = w * s / (1 - s)).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from wizard._data import data_path, load_toml, need
from wizard._errors import DataError
from wizard._questions import QUESTIONS_BY_ID

_FILE = data_path("model.toml")

ASSUMPTIONS: tuple[str, ...] = (
    "waits overlap perfectly up to the concurrency limit (no server-side queueing, no smaller connection pool)",
    "CPU work is spread evenly over the operations; no scheduling, pickling or context-switch overhead",
    "threads: ThreadPoolExecutor's default pool of min(32, cores + 4) workers; the GIL runs one thread's "
    "Python at a time (except on a free-threaded build)",
    "async: every wait goes through an async client; a blocking call inside async def gives the sync figure",
    "processes: one worker per core, plus a one-off pool start-up cost",
    "the model counts only time; the verdict also weighs simplicity, your libraries and the surrounding code",
)


@dataclass(frozen=True)
class Estimate:
    """Modelled wall-clock seconds for one batch under each model, and the inputs that produced them."""

    operations: int
    wait_s: float
    cpu_s: float
    concurrency: int
    cores: int
    thread_pool: int
    process_startup_s: float
    free_threaded: bool
    sync_s: float
    threads_s: float
    async_s: float
    processes_s: float
    assumptions: tuple[str, ...] = ASSUMPTIONS

    @property
    def times(self) -> dict[str, float]:
        """The four modelled times by model name: sync, threads, async, processes."""
        return {"sync": self.sync_s, "threads": self.threads_s, "async": self.async_s, "processes": self.processes_s}

    @property
    def fastest(self) -> str:
        """The model with the smallest modelled time (ties go to the simpler model: sync, threads, async)."""
        return min(self.times, key=lambda name: self.times[name])

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict of every field, plus `fastest`."""
        data = asdict(self)
        data["assumptions"] = list(self.assumptions)
        data["fastest"] = self.fastest
        return data


def _load() -> tuple[dict[str, Any], dict[str, dict[str, float]]]:
    raw = load_toml("model.toml")
    scalars = {
        "operations": need(raw, "operations", int, _FILE, "(top level)"),
        "cores": need(raw, "cores", int, _FILE, "(top level)"),
        "process_startup_s": float(need(raw, "process_startup_s", (int, float), _FILE, "(top level)")),
    }
    for name in ("operations", "cores"):
        if scalars[name] < 1:
            raise DataError(_FILE, name, "must be at least 1")
    tables: dict[str, dict[str, float]] = {}
    for table, question in (("concurrency", "fanout"), ("wait_s", "latency"), ("cpu_share", "time")):
        values = need(raw, table, dict, _FILE, "(top level)")
        for choice in QUESTIONS_BY_ID[question].choice_ids:
            number = need(values, choice, (int, float), _FILE, table)
            valid = 0 <= number < 1 if table == "cpu_share" else number >= 1 if table == "concurrency" else number > 0
            if not valid:
                raise DataError(_FILE, f"{table}.{choice}", f"{number} is out of range")
        for extra in set(values) - set(QUESTIONS_BY_ID[question].choice_ids):
            raise DataError(_FILE, f"{table}.{extra}", f"not a choice of question {question!r}")
        tables[table] = {k: float(v) for k, v in values.items()}
    return scalars, tables


_SCALARS, _TABLES = _load()


@dataclass(frozen=True)
class Workload:
    """The model's inputs: n operations, w seconds of waiting and c of CPU each, k in flight, p cores."""

    operations: int
    wait_s: float
    cpu_s: float
    concurrency: int
    cores: int
    process_startup_s: float
    free_threaded: bool = False

    @property
    def thread_pool(self) -> int:
        """T, ThreadPoolExecutor's default number of workers: min(32, cores + 4)."""
        return min(32, self.cores + 4)

    def times(self) -> dict[str, float]:
        """Apply the formulas of the module docstring: modelled seconds by model name."""
        n, w, c, k, p = self.operations, self.wait_s, self.cpu_s, self.concurrency, self.cores
        thread_workers = min(k, self.thread_pool)
        thread_cpu = n * c / min(thread_workers, p) if self.free_threaded else n * c
        return {
            "sync": n * (w + c),
            "threads": math.ceil(n / thread_workers) * w + thread_cpu,
            "async": math.ceil(n / k) * w + n * c,
            "processes": math.ceil(n / min(k, p)) * (w + c) + self.process_startup_s,
        }


def estimate(answers: Mapping[str, str]) -> Estimate:
    """Model the workload described by complete, normalised answers (see normalise_answers)."""
    share = _TABLES["cpu_share"][answers["time"]]
    wait = _TABLES["wait_s"][answers["latency"]]
    workload = Workload(
        operations=int(_SCALARS["operations"]),
        wait_s=wait,
        cpu_s=wait * share / (1 - share),
        concurrency=int(_TABLES["concurrency"][answers["fanout"]]),
        cores=int(_SCALARS["cores"]),
        process_startup_s=float(_SCALARS["process_startup_s"]),
        free_threaded=answers.get("python") == "free-threaded",
    )
    times = workload.times()
    return Estimate(
        operations=workload.operations,
        wait_s=workload.wait_s,
        cpu_s=round(workload.cpu_s, 6),
        concurrency=workload.concurrency,
        cores=workload.cores,
        thread_pool=workload.thread_pool,
        process_startup_s=workload.process_startup_s,
        free_threaded=workload.free_threaded,
        sync_s=round(times["sync"], 3),
        threads_s=round(times["threads"], 3),
        async_s=round(times["async"], 3),
        processes_s=round(times["processes"], 3),
    )
