"""Step 2 and 3 of the pipeline: answers -> workload numbers -> modelled time of each strategy.

The workload (numbers in wizard/data/model.toml): n operations, each waiting w seconds (network, database, disk)
and computing c seconds on the CPU; k of them are independent and may be in flight at once; p cores; a thread
pool is sized to the work up to L threads; a service's requests arrive at rate r per second (none for a batch or
a backlog). Every strategy is modelled as a batch of n operations:

    sync            n * w  +  cpu(1)                               one after another
    sync-threads    ceil(n / T) * w  +  cpu(T if parallel else 1)  T = min(k, L) threads (min(k, p) for CPU work)
    sync-processes  ceil(n / P) * w  +  cpu(P)  +  start-up        P = min(k, p) worker processes
    async           ceil(n / k) * w  +  cpu(1)                     one event loop: waits overlap, CPU work does not
    async-offload   ceil(n / W) * w  +  min(cpu(1), offloaded)     the loop, with blocking calls in a thread pool
                                                                   (W = min(k, L) for sync clients, k for async
                                                                   ones) and CPU work in a pool when that is faster
                                                                   (not for work that is mostly waiting, nor into
                                                                   processes when a copy per core does not fit)

    cpu(m) = n * c / min(m, p)    CPU work that m workers run in parallel (never more than p at a time)

"parallel" is true for threads when the CPU work releases the GIL (NumPy, image codecs) or on a free-threaded
build. Libraries that already spread their work over every core (machine-learning runtimes) take n * c / p in
every strategy: no strategy makes a saturated CPU faster. A service whose arrival rate r is known takes at least
n / r, and then k is n: requests queue up, and a strategy serves as many at once as it can hold.

These are back-of-the-envelope figures for comparing strategies, not a benchmark (ASSUMPTIONS lists what they
leave out; the site's measured pages show real runs). The verdict step (wizard._verdict) reads only these numbers.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wizard._data import data_path, load_toml, need
from wizard._errors import DataError
from wizard._questions import QUESTIONS_BY_ID

_FILE = data_path("model.toml")

STRATEGIES: tuple[str, ...] = ("sync", "sync-threads", "sync-processes", "async", "async-offload")
"""Every modelled strategy: the verdict IDs, simplest first."""

CPU_KINDS: tuple[str, ...] = ("gil", "native", "all-cores")
SERVICES: tuple[str, ...] = ("web", "worker")
"""Kinds of program modelled as services (their load question applies)."""

# question -> model.toml table that maps each of its choices to a number, and the valid range of those numbers.
_TABLES: dict[str, tuple[str, str]] = {
    "concurrency": ("fanout", "at least 1"),
    "wait_s": ("latency", "greater than 0"),
    "cpu_share": ("time", "from 0 up to but not including 1"),
    "arrival_per_s": ("load", "0 (a backlog) or more"),
    "cpu_tasks": ("cpu_tasks", "at least 1"),
}


def _in_range(table: str, number: float) -> bool:
    checks = {
        "concurrency": number >= 1,
        "wait_s": number > 0,
        "cpu_share": 0 <= number < 1,
        "arrival_per_s": number >= 0,
        "cpu_tasks": number >= 1,
    }
    return checks[table]


@dataclass(frozen=True)
class ModelData:
    """wizard/data/model.toml, validated: scalars and one number (or CPU kind) per choice."""

    operations: int
    cores: int
    thread_limit: int
    process_startup_s: float
    service_window_s: float
    numbers: Mapping[str, Mapping[str, float]]
    cpu_kind: Mapping[str, str]


def load_model_data() -> ModelData:
    """Load and validate wizard/data/model.toml (DataError names the file and key of any problem)."""
    raw = load_toml("model.toml")
    allowed = {"operations", "cores", "thread_limit", "process_startup_s", "service_window_s", "cpu_kind", *_TABLES}
    for key in raw:
        if key not in allowed:
            raise DataError(_FILE, key, f"unknown key; expected one of {', '.join(sorted(allowed))}")
    ints = {name: need(raw, name, int, _FILE, "(top level)") for name in ("operations", "cores", "thread_limit")}
    for name, value in ints.items():
        if value < 1:
            raise DataError(_FILE, name, "must be at least 1")
    startup = float(need(raw, "process_startup_s", (int, float), _FILE, "(top level)"))
    window = float(need(raw, "service_window_s", (int, float), _FILE, "(top level)"))
    if startup < 0 or window <= 0:
        raise DataError(_FILE, "process_startup_s", "must not be negative (and service_window_s positive)")

    def per_choice(table: str, question: str, kind: type | tuple[type, ...]) -> dict[str, Any]:
        values = need(raw, table, dict, _FILE, "(top level)")
        choices = QUESTIONS_BY_ID[question].choice_ids
        for extra in set(values) - set(choices):
            raise DataError(_FILE, f"{table}.{extra}", f"not a choice of question {question!r}")
        return {choice: need(values, choice, kind, _FILE, table) for choice in choices}

    numbers: dict[str, dict[str, float]] = {}
    for table, (question, valid) in _TABLES.items():
        values = per_choice(table, question, (int, float))
        for choice, number in values.items():
            if not _in_range(table, number):
                raise DataError(_FILE, f"{table}.{choice}", f"{number} is out of range: expected {valid}")
        numbers[table] = {k: float(v) for k, v in values.items()}
    kinds = per_choice("cpu_kind", "cpu_libs", str)
    for choice, kind in kinds.items():
        if kind not in CPU_KINDS:
            raise DataError(_FILE, f"cpu_kind.{choice}", f"{kind!r} is not one of {', '.join(CPU_KINDS)}")
    return ModelData(
        operations=ints["operations"],
        cores=ints["cores"],
        thread_limit=ints["thread_limit"],
        process_startup_s=startup,
        service_window_s=window,
        numbers=numbers,
        cpu_kind=kinds,
    )


MODEL: ModelData = load_model_data()
"""The model's numbers (wizard/data/model.toml)."""


@dataclass(frozen=True)
class Workload:
    """The model's inputs: step 2 of the pipeline, derived from the answers by workload().

    Internal and exact; Estimate reports it (why it copies these fields rather than holding one: see Estimate).
    """

    operations: int
    wait_s: float
    cpu_s: float
    concurrency: int
    cores: int
    thread_limit: int
    process_startup_s: float
    cpu_kind: str
    free_threaded: bool
    async_clients: bool
    arrival_per_s: float | None = None
    offload_cpu: bool = True
    copies_fit: bool = True
    cpu_bound: bool = False

    @property
    def thread_pool(self) -> int:
        """T: the thread pool sized to the work: min(k, L) threads to overlap waits, min(k, p) for CPU work alone."""
        return min(self.concurrency, self.cores if self.cpu_bound else self.thread_limit)

    @property
    def process_pool(self) -> int:
        """P: worker processes, min(k, p)."""
        return min(self.concurrency, self.cores)

    @property
    def floor_s(self) -> float:
        """The least time the batch can take: n / r for a service with a known arrival rate, else 0."""
        return self.operations / self.arrival_per_s if self.arrival_per_s else 0.0

    def cpu(self, workers: int) -> float:
        """Wall-clock seconds of the batch's CPU work when `workers` run it in parallel (see the docstring)."""
        if self.cpu_kind == "all-cores":
            return self.operations * self.cpu_s / self.cores
        return self.operations * self.cpu_s / min(workers, self.cores)

    def times(self) -> dict[str, float]:
        """Modelled seconds for the batch, by strategy (the formulas of the module docstring)."""
        n, w, k = self.operations, self.wait_s, self.concurrency
        t, p = self.thread_pool, self.process_pool
        threads_parallel = self.cpu_kind != "gil" or self.free_threaded
        # The loop hands CPU work to threads when they run it in parallel, else to a process pool (start-up).
        offloaded = self.cpu(k) if threads_parallel else self.cpu(k) + self.process_startup_s
        if not self.offload_cpu or not (threads_parallel or self.copies_fit):  # no process pool for it
            offloaded = self.cpu(1)
        waits_offloaded = k if self.async_clients else t
        raw = {
            "sync": n * w + self.cpu(1),
            "sync-threads": math.ceil(n / t) * w + self.cpu(t if threads_parallel else 1),
            "sync-processes": math.ceil(n / p) * w + self.cpu(p) + self.process_startup_s,
            "async": math.ceil(n / k) * w + self.cpu(1),
            "async-offload": math.ceil(n / waits_offloaded) * w + min(self.cpu(1), offloaded),
        }
        return {name: max(value, self.floor_s) for name, value in raw.items()}


def workload(answers: Mapping[str, str], model: ModelData = MODEL) -> Workload:
    """Step 2: the workload numbers for complete, normalised answers (see wizard.normalise_answers)."""
    numbers = model.numbers
    share = numbers["cpu_share"][answers["time"]]
    wait = numbers["wait_s"][answers["latency"]]
    service = answers["kind"] in SERVICES
    arrival = numbers["arrival_per_s"][answers["load"]] if service else 0.0
    operations = max(1, round(arrival * model.service_window_s)) if arrival else model.operations
    # A service's requests or jobs queue up when its load is known or a backlog, and (load unknown) when its time
    # goes to computing: each request is then an independent piece of CPU work. A strategy holds as many as it can.
    queued = answers["load"] == "backlog" or (answers["load"] == "unknown" and answers["time"] == "computing")
    if service and (arrival or queued):
        concurrency = operations
    elif answers["time"] == "computing" and not service:
        concurrency = int(numbers["cpu_tasks"][answers["cpu_tasks"]])
    else:
        concurrency = int(numbers["concurrency"][answers["fanout"]])
    return Workload(
        operations=operations,
        wait_s=wait,
        cpu_s=wait * share / (1 - share),
        concurrency=concurrency,
        cores=model.cores,
        thread_limit=model.thread_limit,
        process_startup_s=model.process_startup_s,
        cpu_kind=model.cpu_kind[answers["cpu_libs"]],
        free_threaded=answers["python"] == "free-threaded",
        async_clients=answers["io_libs"] == "async",
        arrival_per_s=arrival or None,
        offload_cpu=answers["time"] != "waiting",
        copies_fit=answers["memory"] != "tight",
        cpu_bound=answers["time"] == "computing",
    )


def _assumptions(work: Workload) -> tuple[str, ...]:
    return (
        f"a batch of {work.operations:,} operations (for a service with a known load: its peak traffic over "
        f"{MODEL.service_window_s / 60:g} minutes); waits overlap perfectly up to the concurrency limit (no "
        "server-side queueing, no connection pool smaller than the limit)",
        "CPU work is spread evenly over the operations; no scheduling, pickling or context-switch overhead",
        f"threads: a pool sized to the waits in flight, at most {work.thread_limit} threads (past that, memory and "
        "GIL hand-offs cost more than the extra overlap; ThreadPoolExecutor's own default is min(32, cores + 4)); "
        "the GIL runs one thread's Python at a time unless the work releases it or the build is free-threaded",
        f"processes: up to one worker per core ({work.cores} cores), plus {work.process_startup_s:g} s to start the "
        "pool once",
        "async: every wait goes through an async client, bounded by the fan-out; CPU work runs on the loop's thread",
        "async-offload: the loop sends blocking calls to a thread pool and CPU work to a thread or process pool, "
        "whichever is faster",
        "machine-learning runtimes already use every core, so no strategy runs their work faster",
        "a service with a known arrival rate cannot finish before its requests have arrived (Little's law: requests "
        "in progress = arrival rate x time per request)",
    )


@dataclass(frozen=True)
class Estimate:
    """Modelled wall-clock seconds for one batch under each strategy, and the workload that produced them.

    The workload fields repeat Workload's on purpose: the two mean different things. Workload is the model's exact
    input, internal and free to change with the formulas (it carries flags only the formulas read: offload_cpu,
    copies_fit, cpu_bound; the pools and floor_s are derived). Estimate is the public report of one decision, the
    numbers as the CLI, Decision.to_dict() and the page's table show them: rounded (cpu_s to 6 places, floor_s
    and the times to 3), with the pools as plain values. Holding a Workload would make the model's internals part
    of the public type (constructor, equality, repr) and still need a forwarding property per field, and a shared
    base class would tie this type's field order to the model's; estimate() is the one place mapping one to the
    other.
    """

    operations: int
    wait_s: float
    cpu_s: float
    concurrency: int
    cores: int
    thread_pool: int
    process_pool: int
    thread_limit: int
    process_startup_s: float
    cpu_kind: str
    free_threaded: bool
    async_clients: bool
    arrival_per_s: float | None
    floor_s: float
    strategy_times: Mapping[str, float]
    assumptions: tuple[str, ...]

    @property
    def sync_s(self) -> float:
        """Modelled seconds, plain sync."""
        return self.strategy_times["sync"]

    @property
    def threads_s(self) -> float:
        """Modelled seconds, sync code with a thread pool."""
        return self.strategy_times["sync-threads"]

    @property
    def processes_s(self) -> float:
        """Modelled seconds, sync code with a process pool."""
        return self.strategy_times["sync-processes"]

    @property
    def async_s(self) -> float:
        """Modelled seconds, async all the way down."""
        return self.strategy_times["async"]

    @property
    def offload_s(self) -> float:
        """Modelled seconds, async with blocking and CPU work offloaded."""
        return self.strategy_times["async-offload"]

    @property
    def times(self) -> dict[str, float]:
        """The modelled times by strategy (verdict ID), simplest first."""
        return dict(self.strategy_times)

    @property
    def fastest(self) -> str:
        """The strategy with the smallest modelled time (ties go to the simpler one)."""
        return min(STRATEGIES, key=lambda name: self.strategy_times[name])

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict: the workload, the times by strategy and the assumptions."""
        return {
            "operations": self.operations,
            "wait_s": self.wait_s,
            "cpu_s": self.cpu_s,
            "concurrency": self.concurrency,
            "cores": self.cores,
            "thread_pool": self.thread_pool,
            "process_pool": self.process_pool,
            "thread_limit": self.thread_limit,
            "process_startup_s": self.process_startup_s,
            "cpu_kind": self.cpu_kind,
            "free_threaded": self.free_threaded,
            "async_clients": self.async_clients,
            "arrival_per_s": self.arrival_per_s,
            "floor_s": self.floor_s,
            "times": dict(self.strategy_times),
            "sync_s": self.sync_s,
            "threads_s": self.threads_s,
            "processes_s": self.processes_s,
            "async_s": self.async_s,
            "offload_s": self.offload_s,
            "fastest": self.fastest,
            "assumptions": list(self.assumptions),
        }


@functools.cache
def _rounded_times(work: Workload) -> tuple[dict[str, float], float]:
    times = work.times()
    return {name: round(times[name], 3) for name in STRATEGIES}, round(work.floor_s, 3)


def estimate_times(answers: Mapping[str, str]) -> tuple[dict[str, float], float]:
    """Return the modelled times by strategy and the floor, as estimate() reports them (fast path, cached)."""
    return _rounded_times(workload(answers))


def estimate(answers: Mapping[str, str], model: ModelData = MODEL) -> Estimate:
    """Model the workload described by complete, normalised answers (steps 2 and 3)."""
    work = workload(answers, model)
    times, floor_s = _rounded_times(work)
    return Estimate(
        operations=work.operations,
        wait_s=work.wait_s,
        cpu_s=round(work.cpu_s, 6),
        concurrency=work.concurrency,
        cores=work.cores,
        thread_pool=work.thread_pool,
        process_pool=work.process_pool,
        thread_limit=work.thread_limit,
        process_startup_s=work.process_startup_s,
        cpu_kind=work.cpu_kind,
        free_threaded=work.free_threaded,
        async_clients=work.async_clients,
        arrival_per_s=work.arrival_per_s,
        floor_s=floor_s,
        strategy_times=dict(times),
        assumptions=_assumptions(work),
    )
