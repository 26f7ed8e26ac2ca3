"""The `asyncfit` command (also `python -m wizard`).

    asyncfit                                   ask the questions in the terminal, print the decision
    asyncfit ask [--format F]                  the same
    asyncfit decide --answers FILE [--format text|json|markdown] [--base-url URL]
                                               decide from a JSON object of answers (FILE "-" = stdin)
    asyncfit questions [--format json|text]    list the questions, their choices and defaults

Exit codes: 0 success, 2 invalid input (unknown question, value out of range, malformed JSON, unreadable file,
bad command line), 130 interrupted. Errors are ONE line on stderr naming the offending key; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TextIO

from wizard._engine import Decision, decide
from wizard._errors import InvalidAnswers, WizardError
from wizard._flow import normalise_answers, visible_questions
from wizard._questions import QUESTIONS, Question, questions_schema, type_name
from wizard._render import SITE_URL, render_json, render_markdown, render_text, wizard_url

PROG = "asyncfit"
EXIT_OK = 0
EXIT_INVALID = 2
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """Invalid input from the command line, a file or the terminal: reported as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors become UsageError (one line) instead of usage text plus exit."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {PROG} --help)")


def _build_parser() -> _Parser:
    parser = _Parser(prog=PROG, description="Should this module be async? Answer a few questions, get a verdict.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    ask = sub.add_parser("ask", help="answer the questions interactively (the default)")
    ask.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    ask.add_argument("--base-url", default=SITE_URL, help="site URL for links (default: %(default)s)")
    dec = sub.add_parser("decide", help="decide from a JSON file of answers")
    dec.add_argument("--answers", required=True, metavar="FILE", help='JSON object of answers; "-" reads stdin')
    dec.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    dec.add_argument("--base-url", default=SITE_URL, help="site URL for links (default: %(default)s)")
    qs = sub.add_parser("questions", help="list the questions and their choices")
    qs.add_argument("--format", choices=("json", "text"), default="text")
    return parser


def _read_answers(path: str, stdin: TextIO) -> dict[str, str]:
    """Read a JSON object of answers from a file or stdin; UsageError/InvalidAnswers name the problem."""
    source = "stdin" if path == "-" else path
    try:
        if path == "-":
            text = stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:  # noqa: PTH123 - a user-given path string
                text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"cannot read answers from {source}: {reason}") from exc
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        detail = f"{exc.msg} at line {exc.lineno} column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else exc
        raise UsageError(f"answers in {source} are not valid JSON: {detail}") from exc
    if not isinstance(data, dict):
        raise UsageError(
            f"answers in {source} must be a JSON object of question ID to choice ID, not {type_name(data)}"
        )
    normalise_answers(data)  # raises InvalidAnswers naming the key
    return data


def _render(decision: Decision, fmt: str, base_url: str) -> str:
    if fmt == "json":
        return render_json(decision)
    if fmt == "markdown":
        return render_markdown(decision, base_url)
    return render_text(decision) + f"\nOpen it in the wizard: {wizard_url(decision, base_url)}\n"


def _questions_text() -> str:
    out = []
    for q in QUESTIONS:
        cond = " and ".join(f"{k} in ({', '.join(v)})" for k, v in q.ask_if.items())
        out.append(f"{q.id}: {q.text}" + (f"  [asked if {cond}]" if cond else ""))
        out += [f"  {c.id:<14} {c.label}{'  (default)' if c.id == q.default else ''}" for c in q.choices]
        out.append("")
    out.append("A question is also skipped when no answer to it could change the verdict, given the earlier answers.")
    return "\n".join(out) + "\n"


def ask_question(question: Question, read: Callable[[str], str], write: Callable[[str], Any]) -> str:
    """Ask one question on the terminal until it gets a valid choice; Enter picks the default, ? explains."""
    write(f"\n{question.text}\n{textwrap.fill(question.help, 88, initial_indent='  ', subsequent_indent='  ')}\n")
    for i, c in enumerate(question.choices, 1):
        write(f"  {i}. {c.label}{'  [default]' if c.id == question.default else ''}\n")
    while True:
        raw = read(f"Choice [1-{len(question.choices)}, Enter = default, ? = explain the choices]: ").strip()
        if not raw:
            return question.default
        if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= len(question.choices):
            return question.choices[int(raw) - 1].id
        if raw in question.choice_ids:
            return raw
        if raw == "?":
            for i, c in enumerate(question.choices, 1):
                write(textwrap.fill(f"{i}. {c.label}: {c.help}", 88, initial_indent="  ", subsequent_indent="     "))
                write("\n")
            continue
        write(
            f"  Please type a number from 1 to {len(question.choices)}, press Enter for the default, or ? for help.\n"
        )


def interview(read: Callable[[str], str] = input, write: Callable[[str], Any] | None = None) -> dict[str, str]:
    """Ask the visible questions in order (skip logic re-evaluated after every answer); return the answers.

    `write` defaults to the current sys.stdout.write (looked up at call time, so redirection works).
    """
    write = write or sys.stdout.write
    answers: dict[str, str] = {}
    asked: set[str] = set()
    while True:
        pending = [q for q in visible_questions(answers) if q.id not in asked]
        if not pending:
            return normalise_answers(answers)
        question = pending[0]
        try:
            answers[question.id] = ask_question(question, read, write)
        except EOFError as exc:
            raise UsageError(f"input ended before question {question.id!r} was answered") from exc
        asked.add(question.id)


def run(argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Run the command line; return the exit code. Raises UsageError/WizardError for main() to report."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    args = _build_parser().parse_args(argv)
    command = args.command or "ask"
    if command == "questions":
        text = (
            json.dumps(questions_schema(), indent=2, ensure_ascii=False) + "\n"
            if args.format == "json"
            else _questions_text()
        )
        stdout.write(text)
        return EXIT_OK
    if command == "decide":
        answers = _read_answers(args.answers, stdin)
        stdout.write(_render(decide(answers), args.format, args.base_url))
        return EXIT_OK
    fmt = getattr(args, "format", "text")
    base_url = getattr(args, "base_url", SITE_URL)
    write = stdout.write if fmt == "text" else sys.stderr.write
    if fmt == "text":
        answers = interview(read=input, write=write)
    else:  # keep stdout clean for the JSON / Markdown document: prompts go to stderr
        answers = interview(read=lambda prompt: write(prompt) and input(), write=write)
    if fmt == "text":
        stdout.write("\n")
    stdout.write(_render(decide(answers), fmt, base_url))
    if fmt == "text" and answers:
        stdout.write(f"Answers as JSON (for asyncfit decide --answers): {json.dumps(answers)}\n")
    return EXIT_OK


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"{PROG}: error: {' '.join(message.split())}\n")
    return code


def main(argv: Sequence[str] | None = None) -> int:  # noqa: PLR0911 - one exit per kind of failure
    """Console-script entry point: run() with every error turned into one stderr line and an exit code."""
    try:
        return run(argv)
    except InvalidAnswers as exc:
        return _fail(f"{exc} (key: {exc.key})" if exc.key and exc.key not in str(exc) else str(exc), EXIT_INVALID)
    except (UsageError, WizardError) as exc:
        return _fail(str(exc), EXIT_INVALID)
    except KeyboardInterrupt:
        return _fail("interrupted", EXIT_INTERRUPTED)
    except BrokenPipeError:
        return EXIT_OK
    except SystemExit as exc:  # argparse --help / --version exit 0 through here
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except Exception as exc:  # last resort: one line, never a traceback
        return _fail(f"internal error: {type(exc).__name__}: {exc}", 1)
