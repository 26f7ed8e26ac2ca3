"""Which questions are asked: the two skip rules, normalisation and the answer space.

A question is asked only when
1. its ``ask_if`` holds (wizard._questions: declarative, in questions.toml), and
2. it can still change the verdict: given the earlier answers, there is some answer to it and some set of
   later answers for which the verdict differs from the one its default gives.
A question that is not asked takes its default. Rule 2 is computed from the verdict itself (model + constraints),
so it never goes stale when the data changes.

How rule 2 is computed: the verdicts of every answer set under a prefix form a decision diagram. _node() builds it
bottom-up with hash-consing (identical sub-diagrams get the same ID; a question whose choices all lead to the same
sub-diagram is dropped), so "can this question change the verdict" is "do its choices lead to different IDs".
Every complete answer set is evaluated once, and a cheap probe answers the common case (early questions always
matter) before any diagram is built, so one `asyncfit decide` stays fast.

Why this is safe: the verdict of any raw answers equals the verdict of their normalised form. Rule 1 is plain
normalisation; rule 2 replaces an answer by the default only when no combination of later answers could tell
the two apart. So skipping never changes a verdict, only the questions a user has to answer.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator, Mapping

from wizard._model import estimate_times
from wizard._questions import QUESTIONS, Question, ask_if_holds, check_answers, static_normalise, static_prefix
from wizard._verdict import DECISION, choose_from_times

_IDS = tuple(q.id for q in QUESTIONS)
_N = len(QUESTIONS)
_PROBES = 64  # later answer sets tried before the whole sub-diagram is built


@functools.cache
def _verdict_of(values: tuple[str, ...]) -> str:
    """Return the verdict of statically normalised answers (a tuple in question order)."""
    answers = dict(zip(_IDS, values, strict=True))
    times, floor_s = estimate_times(answers)
    return choose_from_times(answers, times, floor_s, DECISION).verdict


def _shown(values: tuple[str, ...]) -> tuple[bool, ...]:
    """Rule 1's shown flags for a prefix of values."""
    return tuple(static_prefix(values)[1].values())


_interned: dict[tuple[object, ...], int] = {}


def _intern(key: tuple[object, ...]) -> int:
    return _interned.setdefault(key, len(_interned))


@functools.cache
def _node(index: int, values: tuple[str, ...], shown: tuple[bool, ...]) -> int:
    """Return the ID of the decision diagram of every later answer, given statically normalised `values`."""
    if index == _N:
        return _intern(("verdict", _verdict_of(values)))
    q = QUESTIONS[index]
    if not ask_if_holds(q, dict(zip(_IDS, shown, strict=False)), dict(zip(_IDS, values, strict=False))):
        return _node(index + 1, (*values, q.default), (*shown, False))
    children = tuple(_node(index + 1, (*values, c), (*shown, True)) for c in q.choice_ids)
    if len(set(children)) == 1:
        return children[0]
    return _intern((index, children))


def _static_rest(index: int, values: tuple[str, ...], shown: tuple[bool, ...]) -> Iterator[tuple[str, ...]]:
    """Every statically normalised completion of a prefix (questions from `index` on), depth first."""
    if index == _N:
        yield values
        return
    q = QUESTIONS[index]
    if not ask_if_holds(q, dict(zip(_IDS, shown, strict=False)), dict(zip(_IDS, values, strict=False))):
        yield from _static_rest(index + 1, (*values, q.default), (*shown, False))
        return
    for c in q.choice_ids:
        yield from _static_rest(index + 1, (*values, c), (*shown, True))


@functools.cache
def can_change_verdict(index: int, prefix: tuple[str, ...]) -> bool:
    """Whether question `index` can change the verdict, given the (normalised) answers `prefix` before it.

    True when some answer to it and some later answers give a different verdict than its default does.
    """
    question = QUESTIONS[index]
    shown = _shown(prefix)
    base = (*prefix, question.default)
    others = [(*prefix, c) for c in question.choice_ids if c != question.default]
    after = (*shown, True)
    # The probe: the default's first few completions against the same later answers for every other choice.
    for rest in itertools.islice(_static_rest(index + 1, base, after), _PROBES):
        verdict = _verdict_of(rest)
        for other in others:
            if _verdict_of(static_normalise((*other, *rest[index + 1 :]))) != verdict:
                return True
    first = _node(index + 1, base, after)
    return any(_node(index + 1, other, after) != first for other in others)


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
        if index == _N:
            yield dict(values)
            return
        q = QUESTIONS[index]
        is_shown = ask_if_holds(q, shown, values)
        asked = is_shown and can_change_verdict(index, tuple(values.values()))
        for choice in q.choice_ids if asked else (q.default,):
            yield from extend(index + 1, {**values, q.id: choice}, {**shown, q.id: is_shown})

    return extend(0, {}, {})
