"""Exercises (snippets/exercises/, tools/asyncfit_docs/exercise.py) in CPython, without a browser.

For every exercise: the starting code runs, and fails its check with a message saying what was measured; the
solution passes. Each program and its check run in one fresh CPython process, as the browser runs them in one
worker (tests/test_exercises_browser.py runs them there).
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from asyncfit_docs import exercise
from asyncfit_docs.runnable import DEFAULT_LIMIT_S, example_id

from tests.conftest import ROOT

NAMES = exercise.names()
LEARN_PAGES = re.findall(r"^\s+- [^\n]*: (\S+\.md)$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)


def test_there_are_at_least_eight_exercises() -> None:
    assert len(NAMES) >= 8


@pytest.mark.parametrize("name", NAMES)
def test_starting_code_runs_and_fails_its_check_saying_what_was_measured(name: str) -> None:
    ex = exercise.load(name)
    verdict = exercise.run_cpython(ex.folder / "start.py", ex.folder / "check.py")
    assert verdict.exit_code == 0, verdict.output
    assert not verdict.passed, verdict.message
    assert re.search(r"\d", verdict.message), f"the message names no measurement: {verdict.message}"
    assert "could not inspect" not in verdict.message


@pytest.mark.parametrize("name", NAMES)
def test_solution_passes_its_check(name: str) -> None:
    ex = exercise.load(name)
    verdict = exercise.run_cpython(ex.folder / "solution.py", ex.folder / "check.py")
    assert verdict.exit_code == 0, verdict.output
    assert verdict.passed, verdict.message


def test_printing_the_pass_message_does_not_pass(tmp_path: Path) -> None:
    ex = exercise.load("overlap-downloads")
    fake = tmp_path / "fake.py"
    fake.write_text('print("The 5 downloads took 0.20 s: they overlapped.")\n', encoding="utf-8")
    verdict = exercise.run_cpython(fake, ex.folder / "check.py")
    assert not verdict.passed
    assert "0 of the 5 downloads finished" in verdict.message


def test_a_program_that_raises_is_not_checked(tmp_path: Path) -> None:
    ex = exercise.load("overlap-downloads")
    broken = tmp_path / "broken.py"
    broken.write_text("raise ValueError('oops')\n", encoding="utf-8")
    verdict = exercise.run_cpython(broken, ex.folder / "check.py")
    assert not verdict.passed
    assert "raised an exception" in verdict.message


def test_every_exercise_is_on_exactly_one_learn_page() -> None:
    used: dict[str, list[str]] = {}
    for page in LEARN_PAGES:
        text = (ROOT / "docs" / page).read_text(encoding="utf-8")
        for name in re.findall(r"^```exercise\n(\S+)\n```$", text, re.M):
            used.setdefault(name, []).append(page)
    assert sorted(used) == NAMES
    assert all(len(pages) == 1 for pages in used.values()), used


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('title = "t"\ntask = "x"\nhints = ["h"]\ncolour = "red"\n', "exercise.toml: unknown key 'colour'"),
        ('title = "t"\ntask = "x"\n', "exercise.toml: missing key 'hints'"),
        ('title = "t"\ntask = "x"\nhints = []\n', "exercise.toml: key 'hints' is empty"),
        ('title = "t"\ntask = "x"\nhints = [""]\n', "exercise.toml: key 'hints'[0] must be a non-empty string"),
        ('title = 3\ntask = "x"\nhints = ["h"]\n', "exercise.toml: key 'title' must be a str"),
        ('title = "t"\ntask = "x"\nhints = ["h"]\n', "missing file snippets/exercises/bad/solution.py"),
    ],
)
def test_invalid_exercise_data_names_file_and_key(
    toml: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path
    folder = root / "snippets" / "exercises" / "bad"
    folder.mkdir(parents=True)
    (folder / "exercise.toml").write_text(toml, encoding="utf-8")
    (folder / "start.py").write_text("pass\n", encoding="utf-8")
    monkeypatch.setattr(exercise, "ROOT", root)
    monkeypatch.setattr(exercise, "EXERCISES", root / "snippets" / "exercises")
    with pytest.raises(exercise.ExerciseError, match=re.escape(message)):
        exercise.load("bad")


def test_unknown_exercise_names_the_missing_file() -> None:
    with pytest.raises(exercise.ExerciseError, match=r"unknown exercise 'nope': no snippets/exercises/nope/"):
        exercise.load("nope")


def test_the_fence_takes_no_options() -> None:
    with pytest.raises(exercise.ExerciseError, match=r"no options allowed \(got timeline\)"):
        exercise.validate("exercise", {"timeline": "1"}, {}, {}, None)
    assert exercise.validate("exercise", {}, {}, {}, None) is True


def test_the_exercise_fence_renders_the_runnable_block_every_example_has() -> None:
    md = markdown.Markdown(
        extensions=["pymdownx.highlight", "pymdownx.superfences"],
        extension_configs={
            "pymdownx.superfences": {
                "custom_fences": [
                    {
                        "name": "exercise",
                        "class": "exercise",
                        "validator": exercise.validate,
                        "format": exercise.format_fence,
                    }
                ]
            }
        },
    )
    out = md.convert("```exercise\nkeep-task-references\n```\n")
    block = re.search(r'<div class="af-runnable" [^>]*>', out)
    assert block, "no div.af-runnable"
    # Written by runnable.RunnableBlock, as for a pyrun example: no download (file, PEP 723 header), but the check.
    assert re.findall(r" (data-af-[a-z0-9]+)=", block.group()) == [
        "data-af-runs",
        "data-af-timeline",
        "data-af-limit",
        "data-af-exit",
        "data-af-source",
        "data-af-id",
        "data-af-check",
        "data-af-helpers",
    ]
    loaded = exercise.load("keep-task-references")
    assert f'data-af-id="{example_id(loaded.start)}"' in block.group()
    assert f'data-af-limit="{DEFAULT_LIMIT_S}"' in block.group()
