"""The `asyncfit` command end to end (subprocesses), plus in-process fuzzing of its input handling."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wizard
from wizard import _cli

ROOT = Path(__file__).resolve().parent.parent
VENV_SCRIPT = Path(sys.executable).parent / "asyncfit"


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args], input=stdin, capture_output=True, text=True, cwd=ROOT, check=False
    )


def assert_usage_error(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == "" or not proc.stdout.strip().startswith("Verdict")
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("asyncfit: error: ")
    assert "Traceback" not in proc.stderr
    for needle in needles:
        assert needle in lines[0]


# --- Success paths ---------------------------------------------------------------------------------------------


def test_console_script_is_installed() -> None:
    proc = subprocess.run(
        [str(VENV_SCRIPT), "questions", "--format", "json"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == wizard.questions_schema()


def test_questions_json() -> None:
    proc = run("questions", "--format", "json")
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == wizard.questions_schema()


def test_questions_text() -> None:
    proc = run("questions")
    assert proc.returncode == 0
    for q in wizard.QUESTIONS:
        assert f"{q.id}: {q.text}" in proc.stdout
    assert "[asked if time in (waiting, mixed, unknown)]" in proc.stdout


@pytest.mark.parametrize("example", wizard.EXAMPLES[:4], ids=lambda e: e.id)
def test_decide_json_from_file(tmp_path: Path, example: wizard.Example) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(dict(example.answers)), encoding="utf-8")
    proc = run("decide", "--answers", str(path), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["verdict"] == example.expected
    assert data == wizard.decide(example.answers).to_dict()
    assert proc.stderr == ""


def test_decide_text_from_stdin() -> None:
    proc = run("decide", "--answers", "-", stdin='{"kind": "script", "time": "computing", "cpu_libs": "python"}')
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Verdict: sync-processes")
    link = (
        "https://asyncfit.github.io/asyncfit/wizard/?v=2&kind=script&time=computing&cpu_libs=python&cpu_tasks=unknown"
    )
    assert link in proc.stdout


def test_decide_markdown_with_base_url() -> None:
    proc = run("decide", "--answers", "-", "--format", "markdown", "--base-url", "https://x.test/docs/", stdin="{}")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# ADR: ")
    assert "(https://x.test/docs/rules/af" in proc.stdout


def test_empty_object_means_all_defaults() -> None:
    proc = run("decide", "--answers", "-", "--format", "json", stdin="{}")
    assert json.loads(proc.stdout)["answers"] == dict(wizard.DEFAULTS)


def test_help_exits_zero() -> None:
    proc = run("--help")
    assert proc.returncode == 0
    assert "decide" in proc.stdout


# --- Interactive ---------------------------------------------------------------------------------------------


def test_interactive_enter_takes_every_default() -> None:
    proc = run(stdin="\n" * 20)
    assert proc.returncode == 0, proc.stderr
    assert f"Verdict: {wizard.decide({}).verdict}" in proc.stdout
    assert "1. Web API or web service  [default]" in proc.stdout


def test_interactive_numbers_skip_logic_and_retry() -> None:
    # kind=script (3), time=computing (3): the waiting questions are skipped; cpu_libs=python (5); cpu_tasks: a
    # bad answer (99) is asked again, then Enter (default); memory: Enter; python build: Enter; codebase: 1.
    proc = run(stdin="3\n3\n5\n99\n\n\n\n1\n")
    assert proc.returncode == 0, proc.stderr
    assert "How many of those waits" not in proc.stdout
    assert "Please type a number from 1 to 4" in proc.stdout
    assert "Verdict: sync-processes" in proc.stdout


def test_interactive_question_mark_explains_the_choices() -> None:
    proc = run(stdin="?\n6\n" + "\n" * 10)
    assert proc.returncode == 0, proc.stderr
    assert "Takes jobs from a queue or scheduler" in proc.stdout
    assert "Verdict: sync" in proc.stdout


def test_interactive_json_output_keeps_prompts_off_stdout() -> None:
    proc = run("ask", "--format", "json", stdin="6\n1\n1\n")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["answers"]["kind"] == "library"
    assert "What kind of program" in proc.stderr


def test_interactive_input_ending_early_is_one_line() -> None:
    assert_usage_error(run(stdin="3\n"), "'time'")


# --- Invalid input -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stdin", "needles"),
    [
        ('{"colour": "blue"}', ("unknown question 'colour'",)),
        ('{"kind": "webapp"}', ("'webapp' is not an answer to 'kind'", "web, worker")),
        ('{"fanout": 12}', ("'fanout'", "not a number")),
        ('{"kind": "web",', ("not valid JSON", "line 1")),
        ("[1, 2]", ("must be a JSON object", "an array")),
        ('"web"', ("must be a JSON object",)),
        ("", ("not valid JSON",)),
        ("[" * 100_000, ("not valid JSON",)),
    ],
)
def test_invalid_answers_exit_2_with_one_line(stdin: str, needles: tuple[str, ...]) -> None:
    assert_usage_error(run("decide", "--answers", "-", stdin=stdin), *needles)


def test_unreadable_files(tmp_path: Path) -> None:
    assert_usage_error(run("decide", "--answers", str(tmp_path / "missing.json")), "missing.json", "No such file")
    assert_usage_error(run("decide", "--answers", str(tmp_path)), "Is a directory")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00{")
    assert_usage_error(run("decide", "--answers", str(binary)), "binary.json")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("decide",), "--answers"),
        (("decide", "--answers", "-", "--format", "xml"), "--format"),
        (("questions", "--format", "markdown"), "--format"),
        (("frobnicate",), "frobnicate"),
        (("--verbose",), "--verbose"),
    ],
)
def test_command_line_errors_exit_2_with_one_line(args: tuple[str, ...], needle: str) -> None:
    assert_usage_error(run(*args), needle)


# --- Fuzzing the input handling in-process (fast; the same code the subprocess runs) ---------------------------


def _main_with_stdin(text: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = _cli.main(list(args))
    finally:
        sys.stdin = old_stdin
    return code, out.getvalue(), err.getvalue()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
answer_objects = st.dictionaries(
    st.one_of(st.sampled_from([q.id for q in wizard.QUESTIONS]), st.text(max_size=8)),
    st.one_of(st.sampled_from(sorted({c for q in wizard.QUESTIONS for c in q.choice_ids})), json_values),
    max_size=6,
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(answer_objects, json_values))
def test_decide_any_json_exits_0_or_2_with_one_line(data: object) -> None:
    code, out, err = _main_with_stdin(json.dumps(data), "decide", "--answers", "-", "--format", "json")
    if code == 0:
        assert json.loads(out)["verdict"] in wizard.VERDICTS
        assert err == ""
    else:
        assert code == 2
        assert len(err.splitlines()) == 1
        assert err.startswith("asyncfit: error: ")
        if isinstance(data, dict) and data:
            bad = next(
                k
                for k, v in data.items()
                if k not in wizard.QUESTIONS_BY_ID or v not in wizard.QUESTIONS_BY_ID[k].choice_ids
            )
            assert repr(bad) in err or repr(bad).replace("\n", " ") in err or " ".join(repr(bad).split()) in err


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_decide_any_text_exits_0_or_2(text: str) -> None:
    code, _, err = _main_with_stdin(text, "decide", "--answers", "-")
    assert code in {0, 2}
    if code == 2:
        assert len(err.splitlines()) == 1


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=6), max_size=20))
def test_interactive_any_typing_exits_0_or_2(lines: list[str]) -> None:
    code, out, err = _main_with_stdin("\n".join(lines) + "\n", "ask")
    assert code in {0, 2}
    if code == 0:
        assert "Verdict: " in out
    else:
        assert len(err.splitlines()) == 1
        assert "input ended before question" in err
