"""The pyrun fence's stdin="..." option: the build-time CPython run is fed a line, and never reads the build's stdin."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from asyncfit_docs.runnable import PyrunOptionError, check_options, run_with_cpython

from tests.test_runnable_fence import _render  # the same Markdown set-up as the fence's own tests

ROOT = Path(__file__).resolve().parent.parent


def test_stdin_option_feeds_the_build_time_run_and_marks_the_example() -> None:
    out = html.unescape(_render('```pyrun stdin="Ada"\nname = input("Name? ")\nprint(f"Hello, {name}")\n```\n'))
    assert 'data-af-stdin="1"' in out
    assert "Name? Ada\nHello, Ada" in out  # the line is echoed after its prompt, as a terminal shows it
    plain = _render("```pyrun\nprint(1)\n```\n")
    assert "data-af-stdin" not in plain


def test_the_blocking_input_example_stalls_the_loop_at_build_time() -> None:
    source = (ROOT / "snippets" / "blocking_input.py").read_text(encoding="utf-8")
    output, code = run_with_cpython(source, "Ada")
    assert code == 0, output
    assert output.startswith("Your name? Ada\nHello, Ada. (CPython)\n")
    assert "ticked 0 times meanwhile" in output  # the ticker got no turn while input() blocked
    assert "The event loop stalled" in output


def test_without_the_option_input_gets_eof_instead_of_waiting_on_the_build() -> None:
    output, code = run_with_cpython("print(input('x? '))")
    assert code == 1
    assert output.rstrip().endswith("EOFError: EOF when reading a line")


def test_a_backslash_n_feeds_a_second_line() -> None:
    output, code = run_with_cpython("import sys\nprint(input()); print(sys.stdin.readline().strip())", "one\\ntwo")
    assert code == 0, output
    assert output.splitlines()[-2:] == ["one", "two"]


@pytest.mark.parametrize("value", ["", " ", True])
def test_stdin_option_needs_text(value: object) -> None:
    with pytest.raises(PyrunOptionError, match="option stdin needs a value"):
        check_options({"stdin": value})  # type: ignore[dict-item]
