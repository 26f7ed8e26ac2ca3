"""Shared fixtures: one real `mkdocs build --strict` per test session, served over HTTP, driven by real Chromium.

- `built_site`: the site built once per session into a temporary folder (set ASYNCFIT_SITE_DIR to reuse a build).
  `site_builds` starts it and the Zensical build together, one core each, as soon as a test needs either; under
  pytest-xdist (`make test` runs two workers) the first worker to ask builds for all (`build_once`).
- `site_url`: that folder served by a real HTTP server on 127.0.0.1 (correct MIME types for .mjs and .wasm).
- Engine dimension (docs/building.md): the same sources also build with Zensical. `zensical_site` is that build
  (`zensical build --strict` from .venv-zensical; ASYNCFIT_ZENSICAL_SITE_DIR reuses one). By default
  (`--engines=all`) every test using `site_url` runs once per engine (ids `[mkdocs]`, `[zensical]`);
  `--engines=mkdocs` (or $ASYNCFIT_ENGINES) narrows it, `@pytest.mark.mkdocs_only` opts one test out. `engine`
  names the build a test got; `engine_site` is it. What differs between the two builds: docs/building.md.
- `browser` / `page`: Debian's Chromium through Playwright (`executable_path`; Playwright's own download is not used).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from find_chromium import find_chromium  # noqa: E402
from local_site import CHROMIUM_ARGS, serve  # noqa: E402  (serve: also used by tests)

ENGINES = ("mkdocs", "zensical")
ZENSICAL_BIN = ROOT / ".venv-zensical" / "bin" / "zensical"  # created by `make test` (Makefile, ZPY_STAMP)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class BuiltSite:
    """A finished build: its output folder and what `mkdocs build` printed."""

    path: Path
    log: str


def build_site(dest: Path) -> BuiltSite:
    """Run a real strict MkDocs build into dest and return it (raises on failure with the log)."""
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(dest)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    log = proc.stdout + proc.stderr
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{log}")
    return BuiltSite(dest, log)


@pytest.fixture(scope="session")
def built_site(site_builds: dict[str, Future[BuiltSite]]) -> BuiltSite:
    return finished_build(site_builds, "mkdocs")


def zensical_unavailable_reason() -> str | None:
    """Why Zensical cannot build here (None when it can): the executable of .venv-zensical is missing."""
    if ZENSICAL_BIN.is_file():
        return None
    return f"Zensical is not installed: {ZENSICAL_BIN.relative_to(ROOT)} is missing (`make test` creates it)"


def build_zensical_site(dest: Path) -> BuiltSite:
    """Run a real `zensical build --strict --clean` of mkdocs.yml and move its output to dest.

    Zensical has no --site-dir option and refuses a site_dir outside the project, so a throwaway config in the
    repository root inherits mkdocs.yml and points site_dir to a throwaway folder beside it (both git-ignored as
    /.zensical-*; not build/, which tools/vendor.py deletes); --clean drops Zensical's build cache so every
    build-time example runs again, as in the MkDocs build.
    """
    token = uuid.uuid4().hex[:8]
    config = ROOT / f".zensical-{token}.yml"
    out = ROOT / f".zensical-{token}-site"
    config.write_text(f"INHERIT: mkdocs.yml\nsite_dir: {out.relative_to(ROOT).as_posix()}\n", encoding="utf-8")
    try:
        proc = subprocess.run(
            [str(ZENSICAL_BIN), "build", "--strict", "--clean", "--config-file", str(config)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        config.unlink()
    log = _ANSI.sub("", proc.stdout + proc.stderr)
    if proc.returncode != 0:
        shutil.rmtree(out, ignore_errors=True)
        pytest.fail(f"zensical build --strict failed:\n{log}")
    shutil.rmtree(dest)
    shutil.move(out, dest)
    return BuiltSite(dest, log)


@pytest.fixture(scope="session")
def zensical_site(site_builds: dict[str, Future[BuiltSite]]) -> BuiltSite:
    """The Zensical build of the same sources; skips (fails under CI=true) only when Zensical is not installed."""
    reason = None if "zensical" in site_builds else zensical_unavailable_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return finished_build(site_builds, "zensical")


NEEDED_BUILDS = pytest.StashKey[set[str]]()
"""The engines whose builds the tests to run use (set by pytest_collection_finish)."""


def needed_builds(items: list[pytest.Item]) -> set[str]:
    """The engines whose builds these tests use: `built_site`, `zensical_site`, or `engine_site` per engine."""
    needed: set[str] = set()
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if "engine_site" in names:
            callspec = getattr(item, "callspec", None)
            needed.add(callspec.params.get("engine", "mkdocs") if callspec else "mkdocs")
        if "built_site" in names:
            needed.add("mkdocs")
        if "zensical_site" in names:
            needed.add("zensical")
    return needed


@pytest.fixture(scope="session")
def site_builds(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Future[BuiltSite]]]:
    """The session's builds, started together the first time a test needs either: one thread (and core) each.

    Both builds are single-threaded Python at heart (MkDocs, and Zensical's Python-Markdown extensions running
    markdown-exec), so on two cores they take the time of the longer one instead of their sum. Only the builds
    some collected test uses are started, and none that an ASYNCFIT_*SITE_DIR variable replaces or that cannot
    run here; a build's failure is raised by the fixture that asks for it (built_site, zensical_site). A build that
    an ASYNCFIT_*SITE_DIR variable names is there already: its future is done from the start.
    """
    needed = request.config.stash.get(NEEDED_BUILDS, set(ENGINES))
    builds = {
        "mkdocs": (build_site, "site", "ASYNCFIT_SITE_DIR", None),
        "zensical": (build_zensical_site, "zensical-site", "ASYNCFIT_ZENSICAL_SITE_DIR", zensical_unavailable_reason()),
    }
    shared = shared_build_dir(tmp_path_factory)
    futures: dict[str, Future[BuiltSite]] = {}
    with ThreadPoolExecutor(max_workers=len(builds), thread_name_prefix="build") as pool:
        for engine, (build, folder, reuse_variable, unavailable) in builds.items():
            reuse = os.environ.get(reuse_variable)
            if reuse:
                futures[engine] = Future()
                futures[engine].set_result(BuiltSite(Path(reuse), ""))
            elif engine in needed and unavailable is None:
                futures[engine] = (
                    pool.submit(build_once, shared, folder, build)
                    if shared
                    else pool.submit(build, tmp_path_factory.mktemp(folder))
                )
        yield futures


def finished_build(site_builds: dict[str, Future[BuiltSite]], engine: str) -> BuiltSite:
    """Wait for engine's build from `site_builds` and return it (its failure is raised here)."""
    if engine not in site_builds:
        pytest.fail(f"no {engine} build was started: needed_builds() saw no test to run that uses it")
    return site_builds[engine].result()


def shared_build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """Under pytest-xdist (`make test` runs two workers), a folder every worker of this run shares; else None."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run:
        return None
    shared = tmp_path_factory.getbasetemp().parent / f"builds-{run}"  # basetemp is <run folder>/popen-gwN
    shared.mkdir(exist_ok=True)
    return shared


def build_once(shared: Path, folder: str, build: Callable[[Path], BuiltSite]) -> BuiltSite:
    """One build for all workers: the first to get here builds under a lock, the others wait and reuse it.

    The result (or the failure's message) is recorded beside the build, so every worker's fixture reports the
    same outcome.
    """
    with (shared / f"{folder}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        record = shared / f"{folder}.json"
        if not record.exists():
            dest = shared / folder
            dest.mkdir()
            try:
                site = build(dest)
            except pytest.fail.Exception as failure:
                record.write_text(json.dumps({"failure": str(failure)}), encoding="utf-8")
                raise
            record.write_text(json.dumps({"path": str(site.path), "log": site.log}), encoding="utf-8")
        outcome = json.loads(record.read_text(encoding="utf-8"))
    if "failure" in outcome:
        pytest.fail(outcome["failure"])
    return BuiltSite(Path(outcome["path"]), outcome["log"])


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--engines`: which builds `site_url` serves."""
    parser.addoption(
        "--engines",
        default=os.environ.get("ASYNCFIT_ENGINES", "all"),
        help="builds that tests using site_url run against: all (both; the default, or $ASYNCFIT_ENGINES), "
        "mkdocs, zensical, mkdocs,zensical, auto (mkdocs, plus zensical when .venv-zensical exists)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the engine marker (pyproject.toml uses --strict-markers)."""
    config.addinivalue_line("markers", "mkdocs_only(reason): `site_url` serves only the MkDocs build to this test")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run browser tests last, and mark them `browser`.

    Playwright's sync API keeps an asyncio event loop running on the main thread while the session's browser is
    open, so any later test that calls asyncio.run() (the snippet tests do) would fail with "asyncio.run() cannot
    be called from a running event loop". Ordering non-browser tests first keeps both kinds honest.
    """
    uses_browser = {"browser", "page"}

    def is_browser_test(item: pytest.Item) -> bool:
        return bool(uses_browser & set(getattr(item, "fixturenames", ())))

    for item in items:
        if is_browser_test(item):
            item.add_marker(pytest.mark.browser)
    items.sort(key=is_browser_test)  # stable: keeps the collection order within each group


def pytest_collection_finish(session: pytest.Session) -> None:
    """Note which builds the tests to run use (`site_builds`): after -k and -m have deselected."""
    session.config.stash[NEEDED_BUILDS] = needed_builds(session.items)


def selected_engines(config: pytest.Config) -> list[str]:
    """The engines named by --engines, in ENGINES order; raises pytest.UsageError on an unknown one."""
    value = config.getoption("--engines")
    if value == "auto":
        return ["mkdocs"] if zensical_unavailable_reason() else list(ENGINES)
    if value == "all":
        return list(ENGINES)
    names = {name.strip() for name in value.split(",") if name.strip()}
    unknown = names - set(ENGINES)
    if unknown or not names:
        raise pytest.UsageError(f"--engines={value}: expected all, auto or a comma-separated subset of {ENGINES}")
    return [name for name in ENGINES if name in names]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that uses `site_url` once per selected engine (unparametrized when MkDocs alone)."""
    if "engine" not in metafunc.fixturenames:
        return
    engines = selected_engines(metafunc.config)
    if metafunc.definition.get_closest_marker("mkdocs_only"):
        engines = ["mkdocs"]
    if engines != ["mkdocs"]:
        metafunc.parametrize("engine", engines, indirect=True, scope="session")


@pytest.fixture(scope="session")
def engine(request: pytest.FixtureRequest) -> str:
    """The site generator whose build this test gets: "mkdocs" unless parametrized by pytest_generate_tests."""
    return getattr(request, "param", "mkdocs")


@pytest.fixture(scope="session")
def engine_site(engine: str, request: pytest.FixtureRequest) -> BuiltSite:
    """The build of the current engine: `built_site` for MkDocs, `zensical_site` for Zensical."""
    return request.getfixturevalue("built_site" if engine == "mkdocs" else "zensical_site")


@pytest.fixture(scope="session")
def site_url(engine_site: BuiltSite) -> Iterator[str]:
    server, url = serve(engine_site.path)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        pytest.fail("no Chromium found: `make test` installs Debian's chromium package")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[object]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser context and page; console errors are collected on `page.console_errors`."""
    context = browser.new_context()  # type: ignore[attr-defined]
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda msg: msg.type == "error" and pg.console_errors.append(msg.text))
    pg.on("pageerror", lambda exc: pg.console_errors.append(str(exc)))
    yield pg
    close_routed(context)


def wait_for_async(page: Page, expression: str, arg: object = None, timeout_ms: float = 60_000) -> object:
    """Poll an async page function until it resolves to something truthy; return that.

    Playwright's wait_for_function cannot do this: it takes the Promise an async function returns as a truthy
    value and returns at once, so the condition is never checked. `page.evaluate` awaits the Promise.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        value = page.evaluate(expression, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still {value!r} after {timeout_ms / 1000:.0f} s: {expression} (argument {arg!r})")
        page.wait_for_timeout(100)


RUN_TIMEOUT_MS = 90_000
"""How long a browser test waits for Python: generous, as Pyodide boots on 2 shared cores (tests assert behaviour,
not speed)."""


@pytest.fixture(scope="module")
def patient_expectations() -> Iterator[None]:
    """Playwright's expect() waits up to RUN_TIMEOUT_MS in the module that uses this (its default, 5 s, after).

    A module opts in with ``pytestmark = [..., pytest.mark.usefixtures("patient_expectations")]``.
    """
    expect.set_options(timeout=RUN_TIMEOUT_MS)
    yield
    expect.set_options(timeout=5_000)


def cross_origin_isolated(route: Route) -> None:
    """A route handler answering every request with COOP/COEP headers added: the page becomes cross-origin isolated.

    GitHub Pages sends neither header; tests use this for the runner's isolated paths (Stop by interrupt, a blocking
    input()). Use with ``context.route("**/*", cross_origin_isolated)``, or open the page with `isolated_page`.
    """
    response = route.fetch()
    headers = {
        **response.headers,
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-embedder-policy": "require-corp",
    }
    route.fulfill(response=response, headers=headers)


class Held:
    """A route handler holding back matching requests until release() (later ones then go through at once).

    ``held = Held("Pyodide"); page.route("**/vendor/pyodide/**", held)``, then `held.wait_until_holding(page)` and,
    once the test has checked the page's state while waiting, `held.release()` (or `held.abort()`).
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.routes: list[Route] = []
        self.released = False

    def __call__(self, route: Route) -> None:
        if self.released:
            route.continue_()
        else:
            self.routes.append(route)

    def wait_until_holding(self, page: Page) -> None:
        """Wait until a request is held (Playwright calls route handlers only while the test waits on it)."""
        for _ in range(RUN_TIMEOUT_MS // 100):
            if self.routes:
                return
            page.wait_for_timeout(100)
        raise AssertionError(f"no request for {self.name} after {RUN_TIMEOUT_MS / 1000:.0f} s")

    def release(self) -> None:
        self.released = True
        for route in self.routes:
            route.continue_()

    def abort(self) -> None:
        """Fail the held requests as a lost connection does (later ones then go through)."""
        self.released = True
        for route in self.routes:
            route.abort()


def close_routed(context: BrowserContext) -> None:
    """Close a context whose requests go through route handlers, dropping the routes first.

    A handler still running when its context closes fails in `route.fetch()` or `route.fulfill()` ("Fetch
    response has been disposed", "Target page, context or browser has been closed"), and Playwright reports that
    error from the test that happens to run next. Unrouting with "ignoreErrors" first silences exactly those
    handlers; the test's own assertions are all done by then.
    """
    for pg in context.pages:
        pg.unroute_all(behavior="ignoreErrors")
    context.unroute_all(behavior="ignoreErrors")
    context.close()


@contextmanager
def isolated_page(
    browser: object, url: str, load: Callable[[Page, str], object] | None = None
) -> Iterator[tuple[Page, list[str], list[str]]]:
    """Open url in a fresh browser context of its own whose every response gets `cross_origin_isolated`'s headers.

    load(page, url) opens it (default: ``page.goto(url)``; e.g. test_quality_a11y's `open_site_page` to wait until
    the page's scripts have settled). Yields the page, checked to be cross-origin isolated, the URLs of the workers
    it starts and its uncaught errors (`pageerror`), both recorded from before the page loads; the context is closed
    on exit (`close_routed`). ``with isolated_page(browser, url) as (page, workers, errors):``
    """
    context: BrowserContext = browser.new_context()  # type: ignore[attr-defined]
    try:
        context.route("**/*", cross_origin_isolated)
        page = context.new_page()
        workers: list[str] = []
        errors: list[str] = []
        page.on("worker", lambda worker: workers.append(worker.url))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        if load is None:
            page.goto(url)
        else:
            load(page, url)
        assert page.evaluate("crossOriginIsolated") is True
        yield page, workers, errors
    finally:
        close_routed(context)
