"""Engine checks that run INSIDE Pyodide (and on CPython): plain Python, no pytest, no dependencies.

tools/pyodide_run_tests.mjs loads Pyodide under Node, installs the asyncfit wheel, runs this file and calls
main(); tests/test_wizard_pyodide.py drives that and compares the result with CPython's. Every check_* function
raises AssertionError on failure. main() prints one line per check and a final line
``RESULT {"passed": [...], "failed": {...}, "digest": ..., ...}`` (JSON), and returns 0 when all passed.

The digest is a SHA-256 over every point of the answer space and its verdict: equal digests on CPython and in
Pyodide mean the browser decides exactly like the command line for every possible set of answers.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import platform
import sys
import traceback
from collections.abc import Callable

import wizard
from wizard import _cli


def answer_space_digest() -> tuple[int, str, dict[str, int]]:
    """Count, SHA-256 and verdict histogram of the decisions over the whole answer space."""
    digest = hashlib.sha256()
    counts = dict.fromkeys(wizard.VERDICTS, 0)
    total = 0
    for answers in wizard.answer_space():
        verdict = wizard.decide(answers).verdict
        digest.update(f"{wizard.to_query(answers)}={verdict}\n".encode())
        counts[verdict] += 1
        total += 1
    return total, digest.hexdigest(), counts


def check_installed_from_the_wheel() -> None:
    """The wizard imported here is an installed package with its data files."""
    assert wizard.__file__ is not None
    if sys.platform == "emscripten":
        assert "site-packages" in wizard.__file__, wizard.__file__
    assert len(wizard.QUESTIONS) >= 9
    assert set(wizard.OUTCOMES) == set(wizard.VERDICTS)
    assert "AF101" in wizard.CATALOGUE


def check_examples() -> None:
    """Every worked example gets its expected verdict."""
    for example in wizard.EXAMPLES:
        verdict = wizard.decide(example.answers).verdict
        assert verdict == example.expected, (example.id, verdict, example.expected)


def _invalid_key(answers: dict[str, object]) -> str | None:
    """The key InvalidAnswers names for these answers, or None when they are valid."""
    try:
        wizard.decide(answers)  # type: ignore[arg-type]
    except wizard.InvalidAnswers as exc:
        return exc.key
    return None


def check_defaults_and_invalid_answers() -> None:
    """Missing answers take defaults; a bad key or value raises InvalidAnswers naming it."""
    assert wizard.decide({}).answers == dict(wizard.DEFAULTS)
    assert _invalid_key({"kind": "web"}) is None
    for answers, key in (({"kind": "nope"}, "kind"), ({"colour": "x"}, "colour"), ({"fanout": 3}, "fanout")):
        assert _invalid_key(answers) == key, answers


def check_skip_logic() -> None:
    """Computing skips the waiting questions; libraries skip the framework question."""
    shown = [q.id for q in wizard.visible_questions({"time": "computing"})]
    assert "fanout" not in shown
    assert "cpu_libs" in shown
    assert "codebase" not in [q.id for q in wizard.visible_questions({"kind": "library"})]


def check_query_strings() -> None:
    """parse_query keeps valid answers, reports bad ones by key, never raises; to_query round-trips."""
    parsed = wizard.parse_query("?kind=script&fanout=lots&x=1")
    assert parsed.answers == {"kind": "script"}
    assert [p.key for p in parsed.problems] == ["fanout", "x"]
    for weird in ("%", "&&&", "=", "a=%ZZ", "\x00=\x00", "kind=web&kind=web"):
        wizard.parse_query(weird)
    for example in wizard.EXAMPLES:
        assert (
            wizard.parse_query(wizard.to_query(example.answers)).answers
            == wizard.parse_query(wizard.to_query(wizard.normalise_answers(example.answers))).answers
        )


def check_renderers() -> None:
    """Text, Markdown (ADR) and JSON renderings."""
    decision = wizard.decide(wizard.EXAMPLES[0].answers)
    assert wizard.render_text(decision).startswith(f"Verdict: {decision.verdict}")
    markdown = wizard.render_markdown(decision)
    assert "## Context" in markdown
    assert f"{wizard.SITE_URL}rules/af" in markdown
    assert json.loads(wizard.render_json(decision)) == decision.to_dict()


def check_estimate() -> None:
    """The queueing model orders the models sensibly for a wait-heavy and a CPU-heavy workload."""
    waits = wizard.decide({"time": "waiting", "fanout": "thousands", "latency": "slow"}).estimate
    assert waits.async_s < waits.threads_s < waits.sync_s
    cpu = wizard.decide({"kind": "script", "time": "computing", "cpu_libs": "python"})
    assert cpu.verdict == "sync-processes"
    assert cpu.estimate.processes_s * 3 < cpu.estimate.sync_s


def check_cli_in_process() -> None:
    """The CLI's main() works here too (no subprocess in Pyodide): JSON schema and an error exit."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = _cli.main(["questions", "--format", "json"])
        bad = _cli.main(["decide"])
    assert code == 0
    assert json.loads(out.getvalue()) == wizard.questions_schema()
    assert bad == 2
    assert len(err.getvalue().splitlines()) == 1


CHECKS: tuple[Callable[[], None], ...] = (
    check_installed_from_the_wheel,
    check_examples,
    check_defaults_and_invalid_answers,
    check_skip_logic,
    check_query_strings,
    check_renderers,
    check_estimate,
    check_cli_in_process,
)


def main() -> int:
    """Run every check and the answer-space digest; print the report; return 0 when everything passed."""
    passed: list[str] = []
    failed: dict[str, str] = {}
    for check in CHECKS:
        try:
            check()
        except Exception:  # report every failure, keep going
            failed[check.__name__] = traceback.format_exc()
            print(f"FAIL {check.__name__}\n{failed[check.__name__]}")
        else:
            passed.append(check.__name__)
            print(f"ok   {check.__name__}")
    total, digest, counts = answer_space_digest()
    result = {
        "passed": passed,
        "failed": failed,
        "answer_space": total,
        "digest": digest,
        "verdicts": counts,
        "platform": sys.platform,
        "python": platform.python_version(),
        "wizard_file": wizard.__file__,
    }
    print("RESULT " + json.dumps(result))
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
