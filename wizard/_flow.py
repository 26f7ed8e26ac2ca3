"""Which questions are asked: the two skip rules, normalisation and the answer space.

A question is asked only when
1. its ``ask_if`` holds (wizard._questions: declarative, in questions.toml), and
2. it can still change the verdict: given the earlier answers, there is some answer to it and some set of
   later answers for which the verdict differs from the one its default gives.
A question that is not asked takes its default. Rule 2 is computed from the rules themselves (by enumeration,
cached), so it never goes stale when rules.toml changes.

Why this is safe: the verdict of any raw answers equals the verdict of their normalised form. Rule 1 is plain
normalisation; rule 2 replaces an answer by the default only when no combination of later answers could tell
the two apart. So skipping never changes a verdict, only the questions a user has to answer (and the reasons
and caveats that an irrelevant answer would have added).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator, Mapping

from wizard._questions import QUESTIONS, Question, ask_if_holds, check_answers, static_normalise
from wizard._rules import evaluate

_IDS = tuple(q.id for q in QUESTIONS)


@functools.cache
def _verdict_of_static(values: tuple[str, ...]) -> str:
    return evaluate(dict(zip(_IDS, values, strict=True))).verdict


def _verdict_of_raw(raw: tuple[str, ...]) -> str:
    return _verdict_of_static(static_normalise(raw))


@functools.cache
def can_change_verdict(index: int, prefix: tuple[str, ...]) -> bool:
    """Whether question `index` can change the verdict, given the (normalised) answers `prefix` before it.

    True when some answer to it and some raw later answers give a different verdict than its default does.
    """
    question = QUESTIONS[index]
    later = [q.choice_ids for q in QUESTIONS[index + 1 :]]
    others = [c for c in question.choice_ids if c != question.default]
    for rest in itertools.product(*later):
        base = _verdict_of_raw((*prefix, question.default, *rest))
        for choice in others:
            if _verdict_of_raw((*prefix, choice, *rest)) != base:
                return True
    return False


def _walk(answers: Mapping[str, str]) -> tuple[dict[str, str], dict[str, bool]]:
    """(complete normalised values, asked flags) for valid answers, applying both skip rules."""
    values: dict[str, str] = {}
    shown: dict[str, bool] = {}  # rule 1 only: what later ask_if conditions refer to
    asked: dict[str, bool] = {}
    for index, q in enumerate(QUESTIONS):
        shown[q.id] = ask_if_holds(q, shown, values)
        asked[q.id] = shown[q.id] and can_change_verdict(index, tuple(values.values()))
        values[q.id] = answers.get(q.id, q.default) if asked[q.id] else q.default
    return values, asked


def normalise_answers(answers: Mapping[str, str]) -> dict[str, str]:
    """Complete answers: every question ID -> choice ID, in question order.

    Missing answers take their question's default; answers to questions that are not asked (given the earlier
    answers) are replaced by the default too. Raises InvalidAnswers naming the key for unknown IDs or values.
    """
    check_answers(answers)
    return _walk(answers)[0]


def visible_questions(answers: Mapping[str, str]) -> list[Question]:
    """Return the questions to ask given the answers so far (unanswered ones count as their default).

    Whether a question is asked depends only on the answers before it, so a questionnaire can call this after
    every answer. Raises InvalidAnswers naming the key for unknown IDs or values.
    """
    check_answers(answers)
    asked = _walk(answers)[1]
    return [q for q in QUESTIONS if asked[q.id]]


def answer_space() -> Iterator[dict[str, str]]:
    """Every distinct complete normalised answer set (questions not asked at their defaults), in a stable order."""

    def extend(index: int, values: dict[str, str], shown: dict[str, bool]) -> Iterator[dict[str, str]]:
        if index == len(QUESTIONS):
            yield dict(values)
            return
        q = QUESTIONS[index]
        is_shown = ask_if_holds(q, shown, values)
        asked = is_shown and can_change_verdict(index, tuple(values.values()))
        for choice in q.choice_ids if asked else (q.default,):
            yield from extend(index + 1, {**values, q.id: choice}, {**shown, q.id: is_shown})

    return extend(0, {}, {})
