"""Exercises that check behaviour: the `exercise` fence, the exercise files, and a CPython runner for them.

Each exercise is a folder `snippets/exercises/<name>/`:

- `exercise.toml`: `title`, `task` (Markdown), `hints` (one or more, shown one at a time), optional `timeline`
  (draw the task timeline after a run in the browser). Unknown or missing keys stop the build, naming file and key.
- `start.py`: the program the reader starts from (it must run, and fail its check).
- `solution.py`: a program that passes the check (behind a disclosure on the page).
- `check.py`: defines `check(program)` (sync or async). It runs after the reader's program, in the same process,
  with the program's globals, and inspects what the program *did*, mostly through the spans recorded by the
  helpers of `snippets/exercises/exercise.py` (the module the programs import as `exercise`). It returns the pass
  message or raises `exercise.CheckFailed` with what it measured.

Python files stay real files so that ruff lints them and the tests run them; the prose is data in TOML.

Usage in Markdown (the fence's body is the exercise's name):

    ```exercise
    overlap-downloads
    ```

Registered in mkdocs.yml as a pymdownx.superfences custom fence, so MkDocs and Zensical both render it. The
markup is the no-JavaScript page (task, starting code with its build-time output and check verdict, hints and
solution in disclosures). The inner `div.af-runnable` is rendered by `runnable.RunnableBlock`, as any example's
is, and `docs/assets/runner/runner.js` enhances it like any example (its `data-af-check` and `data-af-helpers` make
the worker run the check); `docs/assets/runner/exercise.js` adds the feedback, the hints one at a time and the
progress marker.

`python -m asyncfit_docs.exercise [NAME...]` runs each exercise's start and solution with its check in CPython.
"""

from __future__ import annotations

import html
import json
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown import Markdown
from pymdownx.superfences import SuperFencesException

from asyncfit_docs.runnable import RunnableBlock

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "snippets" / "exercises"
HELPERS = EXERCISES / "exercise.py"
RUN_TIMEOUT_S = 60
REQUIRED_FILES = ("start.py", "solution.py", "check.py")
KEYS = {"title": str, "task": str, "hints": list, "timeline": bool}
REQUIRED_KEYS = ("title", "task", "hints")

# Runs one program and then its check, in one CPython process: argv = helpers, program, check, verdict file.
# The helpers are installed as the module `exercise` exactly as the browser's worker does (worker.js).
DRIVER = """
import ast, asyncio, json, sys, traceback, types
helpers, program_path, check_path, verdict_path = sys.argv[1:5]
module = types.ModuleType("exercise")
sys.modules["exercise"] = module
exec(compile(open(helpers, encoding="utf-8").read(), helpers, "exec"), module.__dict__)
namespace = {"__name__": "__main__", "__builtins__": __builtins__}
ok = True
try:
    exec(compile(open(program_path, encoding="utf-8").read(), "<example>", "exec"), namespace)
except SystemExit as exc:
    ok = exc.code in (None, 0)
except BaseException:
    ok = False
    traceback.print_exc()
sys.stdout.flush()
check = open(check_path, encoding="utf-8").read()
verdict = asyncio.run(module.run_check(check, namespace, ok))
with open(verdict_path, "w", encoding="utf-8") as out:
    json.dump(verdict, out)
"""


class ExerciseError(SuperFencesException):
    """An exercise's files are missing or invalid (stops the build, naming the file and the key)."""


@dataclass(frozen=True)
class Exercise:
    """One exercise, loaded and validated."""

    name: str
    title: str
    task: str
    hints: tuple[str, ...]
    timeline: bool
    start: str
    solution: str
    check: str

    @property
    def folder(self) -> Path:
        """Where its files are."""
        return EXERCISES / self.name


@dataclass(frozen=True)
class Verdict:
    """What running a program and then its check in CPython gave."""

    output: str
    exit_code: int
    passed: bool
    message: str


def names() -> list[str]:
    """Every exercise folder's name."""
    return sorted(p.parent.name for p in EXERCISES.glob("*/exercise.toml"))


def load(name: str) -> Exercise:
    """Load and validate snippets/exercises/<name>/."""
    folder = EXERCISES / name
    toml_path = folder / "exercise.toml"
    rel = toml_path.relative_to(ROOT).as_posix()
    if not name or "/" in name or not toml_path.is_file():
        known = ", ".join(names())
        raise ExerciseError(f"exercise fence: unknown exercise {name!r}: no {rel} (known: {known})")
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ExerciseError(f"{rel}: invalid TOML: {exc}") from exc
    _check_keys(rel, data)
    sources: dict[str, str] = {}
    for filename in REQUIRED_FILES:
        path = folder / filename
        if not path.is_file():
            raise ExerciseError(f"{rel}: missing file {path.relative_to(ROOT).as_posix()}")
        sources[filename] = path.read_text(encoding="utf-8")
    if "def check(" not in sources["check.py"]:
        raise ExerciseError(f"{(folder / 'check.py').relative_to(ROOT).as_posix()}: defines no check(program)")
    return Exercise(
        name=name,
        title=data["title"].strip(),
        task=data["task"].strip(),
        hints=tuple(h.strip() for h in data["hints"]),
        timeline=bool(data.get("timeline", False)),
        start=sources["start.py"],
        solution=sources["solution.py"],
        check=sources["check.py"],
    )


def _check_keys(rel: str, data: dict[str, Any]) -> None:
    """Raise ExerciseError naming the file and the key for an unknown, mistyped, missing or empty key."""
    for key, value in data.items():
        if key not in KEYS:
            raise ExerciseError(f"{rel}: unknown key {key!r} (known keys: {', '.join(KEYS)})")
        if not isinstance(value, KEYS[key]):
            raise ExerciseError(f"{rel}: key {key!r} must be a {KEYS[key].__name__}")
    for key in REQUIRED_KEYS:
        if key not in data:
            raise ExerciseError(f"{rel}: missing key {key!r}")
        if not data[key]:
            raise ExerciseError(f"{rel}: key {key!r} is empty")
    for index, hint in enumerate(data["hints"]):
        if not isinstance(hint, str) or not hint.strip():
            raise ExerciseError(f"{rel}: key 'hints'[{index}] must be a non-empty string")


def run_cpython(program: Path, check: Path) -> Verdict:
    """Run program, then check.py's check on what it did, in one CPython process (never raises)."""
    with tempfile.TemporaryDirectory() as tmp:
        verdict_path = Path(tmp) / "verdict.json"
        argv = [sys.executable, "-X", "utf8", "-u", "-c", DRIVER, str(HELPERS), str(program), str(check)]
        try:
            proc = subprocess.run(  # our own interpreter and files
                [*argv, str(verdict_path)],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=RUN_TIMEOUT_S,
                check=False,
                cwd=tmp,
            )
        except subprocess.TimeoutExpired:
            return Verdict(f"(stopped after {RUN_TIMEOUT_S} s)", -1, passed=False, message="timed out")
        if not verdict_path.is_file():
            return Verdict(proc.stdout, proc.returncode, passed=False, message="the check did not run")
        verdict = json.loads(verdict_path.read_text(encoding="utf-8"))
    return Verdict(proc.stdout, proc.returncode, passed=bool(verdict["passed"]), message=str(verdict["message"]))


# ---------------------------------------------------------------------------------------------------------
# The fence


def _markdown(text: str) -> str:
    """Render the exercise's own prose (trusted: it is in the repository)."""
    return Markdown(extensions=["pymdownx.inlinehilite"]).convert(text)


def _inline(text: str) -> str:
    """Render one line of prose without its <p>."""
    rendered = _markdown(text)
    return rendered.removeprefix("<p>").removesuffix("</p>")


def _highlight(md: Any, source: str) -> str:
    return md.preprocessors["fenced_code_block"].highlight(
        src=source, language="python", options={}, md=md, classes=[], id_value="", attrs={}
    )


def validate(language: str, inputs: dict[str, str], options: dict[str, Any], attrs: dict[str, Any], md: Any) -> bool:
    """Refuse options on the fence line: its body names the exercise."""
    del language, options, md
    if inputs or attrs:
        bad = ", ".join(f"{k}" for k in [*inputs, *attrs])
        raise ExerciseError(f"exercise fence: no options allowed (got {bad}); the fence's body names the exercise")
    return True


def format_fence(source: str, language: str, css_class: str, options: dict[str, Any], md: Any, **kwargs: Any) -> str:
    """Render one exercise: title, task, runnable starting code, build-time verdict, hints, solution."""
    del language, css_class, options, kwargs
    exercise = load(source.strip())
    folder = exercise.folder
    verdict = run_cpython(folder / "start.py", folder / "check.py")
    cpython = f"CPython {sys.version_info.major}.{sys.version_info.minor}"
    anchor = f"exercise-{exercise.name}"
    where = "Runnable in your browser (Python on Pyodide, in a background worker); Run also checks what it did."
    # Saved edits, share links and the (default) time limit work as on any example. No Download .py (no file, no
    # header): the program imports the `exercise` helpers, which only the worker provides, so it would not run alone.
    runnable = RunnableBlock(
        timeline=exercise.timeline,
        exit_code=verdict.exit_code,
        source=exercise.start,
        check=exercise.check,
        helpers=HELPERS.read_text(encoding="utf-8"),
        where=where,
        code=_highlight(md, exercise.start),
        output_label=f"Output of the starting code at build time ({cpython})",
        output=verdict.output,
    ).render()
    hints = "".join(f"<li>{_inline(hint)}</li>" for hint in exercise.hints)
    outcome = "passes" if verdict.passed else "fails"
    return (
        f'<section class="af-exercise" id="{anchor}" data-af-exercise="{html.escape(exercise.name)}"'
        f' aria-labelledby="{anchor}-title">'
        f'<p class="af-exercise-title" id="{anchor}-title"><span class="af-exercise-kind">Exercise:</span> '
        f"{_inline(exercise.title)}</p>"
        f'<div class="af-exercise-task">{_markdown(exercise.task)}</div>'
        f"{runnable}"
        f'<p class="af-exercise-verdict" data-af-verdict="{"pass" if verdict.passed else "fail"}">'
        f"At build time ({html.escape(cpython)}) the starting code {outcome} the check: "
        f"{html.escape(verdict.message)}</p>"
        f'<details class="af-exercise-hints"><summary>Hints ({len(exercise.hints)})</summary><ol>{hints}</ol></details>'
        '<details class="af-exercise-solution"><summary>Solution</summary>'
        f"{_highlight(md, exercise.solution)}</details>"
        "</section>"
    )


def main(argv: list[str]) -> int:
    """Run each exercise's start and solution with its check in CPython; exit 1 unless start fails, solution passes."""
    status = 0
    for name in argv or names():
        exercise = load(name)
        for program, want in (("start.py", False), ("solution.py", True)):
            verdict = run_cpython(exercise.folder / program, exercise.folder / "check.py")
            mark = "ok " if verdict.passed is want else "BAD"
            status |= verdict.passed is not want
            sys.stdout.write(f"{mark} {name}/{program}: {'pass' if verdict.passed else 'fail'}: {verdict.message}\n")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
