"""Testing async code: AnyIO's pytest plugin runs `async def` tests, and blockbuster fails a test that blocks the loop.

This writes a small test module to a temporary directory and runs pytest on it, in this process. The module uses
AnyIO's plugin (installed with AnyIO: mark a test `@pytest.mark.anyio`; the `anyio_backend` fixture picks asyncio)
and a fixture that activates blockbuster, which makes blocking calls (time.sleep, blocking socket and file
operations) raise BlockingError while an event loop runs in the test. The blocking test fails, as it should: the
suite catches the bug a linter would miss when the blocking call is hidden in a helper.
Needs pytest, anyio and blockbuster (CPython). Run it: python snippets/testing_async.py
"""

import contextlib
import io
import tempfile
from pathlib import Path

import pytest

TESTS = """
import asyncio
import time

import pytest
from blockbuster import blockbuster_ctx


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture(autouse=True)
def no_blocking():
    with blockbuster_ctx() as bb:
        yield bb


def load_report():  # a sync helper hidden one call down: no linter sees the sleep from the coroutine
    time.sleep(0.01)
    return "report"


@pytest.mark.anyio
async def test_awaits_properly():
    await asyncio.sleep(0.01)


@pytest.mark.anyio
async def test_hidden_blocking_call():
    assert load_report() == "report"
"""


def run() -> tuple[int, str]:
    """Run the test module; return pytest's exit code and its report."""
    with tempfile.TemporaryDirectory() as tmp:
        module = Path(tmp) / "test_service.py"
        module.write_text(TESTS, encoding="utf-8")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = pytest.main([str(module), "-q", "--no-header", "-p", "no:cacheprovider", "-rN", "--tb=line"])
    return int(code), out.getvalue().replace(tmp + "/", "")


if __name__ == "__main__":
    code, report = run()
    keep = ("E   ", "1 failed", "2 passed")
    lines = [line for line in report.splitlines() if line.startswith(keep) or " passed in " in line]
    print("\n".join(lines))
    print(f"pytest exit code {code}: the blocking test fails, so CI would catch it")
