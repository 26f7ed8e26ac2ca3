"""Property tests over the wizard's whole answer space (exhaustive where cheap, hypothesis elsewhere).

Verdict orderings used by the monotonicity properties, defined explicitly:

- TOWARD_ASYNC marks plain async (1) against every other verdict (0): more CPU share (time: waiting < mixed <
  computing) must never move a verdict to plain async. (Moving from threads to async-offload with more CPU is
  right: the loop then hands the CPU work to a process pool.)
- TOWARD_CONCURRENCY ranks how far a verdict goes from plain sync: async and async-offload 2 > sync-threads and
  sync-processes 1 > sync 0. More concurrent waits (fanout: one < few < tens < hundreds < thousands) and longer
  waits (latency: instant < fast < medium < slow < very-slow) must never lower it.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Mapping
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wizard
from wizard._model import estimate
from wizard._questions import static_walk
from wizard._verdict import DECISION, choose

TOWARD_ASYNC = {"async": 1, "async-offload": 0, "sync": 0, "sync-threads": 0, "sync-processes": 0}
TOWARD_CONCURRENCY = {"sync": 0, "sync-threads": 1, "sync-processes": 1, "async": 2, "async-offload": 2}
CPU_SHARE = ("waiting", "mixed", "computing")
FANOUT = ("one", "few", "tens", "hundreds", "thousands")
LATENCY = ("instant", "fast", "medium", "slow", "very-slow")

SPACE = tuple(wizard.answer_space())

# Any raw answers: every question answered with any of its choices (hidden ones included, as a user could).
raw_answers = st.fixed_dictionaries({q.id: st.sampled_from(q.choice_ids) for q in wizard.QUESTIONS})
# Partial answers: any subset of the questions.
partial_answers = st.fixed_dictionaries({}, optional={q.id: st.sampled_from(q.choice_ids) for q in wizard.QUESTIONS})


@functools.cache
def _decisions() -> dict[tuple[str, ...], wizard.Decision]:
    """The decision of every point of the answer space (computed once), by its values in question order."""
    return {tuple(a.values()): wizard.decide(a) for a in SPACE}


def _verdict(answers: Mapping[str, str]) -> str:
    return _decisions()[tuple(wizard.normalise_answers(answers).values())].verdict


def test_every_point_of_the_answer_space_gives_a_valid_decision() -> None:
    assert len(SPACE) < 40_000  # finite and small: every decision is precomputed for the page
    for answers in SPACE:
        d = _decisions()[tuple(answers.values())]
        assert d.verdict in wizard.VERDICTS
        assert d.reasons, answers
        for reason in d.reasons:
            assert reason.rule_id in wizard.CATALOGUE
            assert not wizard.CATALOGUE[reason.rule_id].retired
            assert reason.url == f"rules/{reason.rule_id.lower()}/"
        assert d.answers == answers
        assert d.title == wizard.OUTCOMES[d.verdict].title
        assert min(d.estimate.times.values()) > 0


def test_every_verdict_is_reachable() -> None:
    assert {d.verdict for d in _decisions().values()} == set(wizard.VERDICTS)


@pytest.mark.parametrize(
    ("axis", "order", "rank", "direction"),
    [
        ("time", CPU_SHARE, TOWARD_ASYNC, -1),
        ("fanout", FANOUT, TOWARD_CONCURRENCY, +1),
        ("latency", LATENCY, TOWARD_CONCURRENCY, +1),
    ],
)
def test_monotone_over_the_whole_space(axis: str, order: tuple[str, ...], rank: dict[str, int], direction: int) -> None:
    """Exhaustive: from every point, moving `axis` up its order never moves the verdict the wrong way."""
    failures = []
    for answers in SPACE:
        if answers[axis] not in order:
            continue
        start = rank[_verdict(answers)]
        for higher in order[order.index(answers[axis]) + 1 :]:
            moved = rank[_verdict({**answers, axis: higher})]
            if (moved - start) * direction < 0:
                failures.append((answers, higher))
    assert not failures, failures[:3]


@given(raw_answers, st.sampled_from(CPU_SHARE), st.sampled_from(CPU_SHARE))
def test_more_cpu_share_never_moves_toward_async(answers: dict[str, str], low: str, high: str) -> None:
    if CPU_SHARE.index(low) > CPU_SHARE.index(high):
        low, high = high, low
    before = wizard.decide({**answers, "time": low}).verdict
    after = wizard.decide({**answers, "time": high}).verdict
    assert TOWARD_ASYNC[after] <= TOWARD_ASYNC[before]


@given(raw_answers, st.sampled_from(FANOUT), st.sampled_from(FANOUT))
def test_more_concurrent_waits_never_move_toward_sync(answers: dict[str, str], low: str, high: str) -> None:
    if FANOUT.index(low) > FANOUT.index(high):
        low, high = high, low
    before = wizard.decide({**answers, "fanout": low}).verdict
    after = wizard.decide({**answers, "fanout": high}).verdict
    assert TOWARD_CONCURRENCY[after] >= TOWARD_CONCURRENCY[before]


@given(raw_answers)
def test_raw_answers_decide_like_their_normalised_form(answers: dict[str, str]) -> None:
    normalised = wizard.normalise_answers(answers)
    assert tuple(normalised.values()) in _decisions()
    assert wizard.decide(answers) == wizard.decide(normalised)


@given(partial_answers)
def test_visible_questions_are_ordered_and_start_with_kind(answers: dict[str, str]) -> None:
    shown = wizard.visible_questions(answers)
    assert shown[0].id == "kind"
    ids = [q.id for q in wizard.QUESTIONS]
    assert [q.id for q in shown] == sorted((q.id for q in shown), key=ids.index)
    # A question whose answer is not shown never matters: changing it leaves the decision unchanged.
    hidden = [q for q in wizard.QUESTIONS if q not in shown]
    for q in hidden:
        for choice in q.choice_ids:
            assert wizard.decide({**answers, q.id: choice}) == wizard.decide(answers)


@given(partial_answers)
def test_query_round_trip(answers: dict[str, str]) -> None:
    query = wizard.to_query(answers)
    parsed = wizard.parse_query(query)
    assert parsed.problems == []
    assert wizard.normalise_answers(parsed.answers) == wizard.normalise_answers(answers)


@settings(max_examples=300)
@given(st.text())
def test_parse_query_never_raises_on_any_text(query: str) -> None:
    parsed = wizard.parse_query(query)
    assert wizard.normalise_answers(parsed.answers)  # whatever it keeps is valid
    for problem in parsed.problems:
        assert isinstance(problem.key, str)
        assert problem.message


_keys = st.one_of(st.sampled_from([q.id for q in wizard.QUESTIONS]), st.text(max_size=12))
_values = st.one_of(st.sampled_from(sorted({c for q in wizard.QUESTIONS for c in q.choice_ids})), st.text(max_size=12))


@settings(max_examples=300)
@given(st.lists(st.tuples(_keys, _values), max_size=8))
def test_parse_query_reports_every_bad_parameter_by_key(pairs: list[tuple[str, str]]) -> None:
    parsed = wizard.parse_query(urlencode(pairs))
    seen: set[str] = set()
    expected_problems = []
    versions = 0
    for key, value in pairs:
        question = wizard.QUESTIONS_BY_ID.get(key)
        if key == "v":  # the rules version: valid once, as 1 to RULES_VERSION
            versions += 1
            valid = value.isascii() and value.isdigit() and 1 <= int(value) <= wizard.RULES_VERSION
            if versions > 1 or not valid:
                expected_problems.append(key)
        elif question is None or key in seen or value not in question.choice_ids:
            expected_problems.append(key)
        else:
            seen.add(key)
    assert [p.key for p in parsed.problems] == expected_problems
    assert set(parsed.answers) == seen
    for problem in parsed.problems:
        assert repr(problem.key) in problem.message or repr(problem.key[:40] + "...") in problem.message


@given(st.dictionaries(st.text(max_size=10), st.one_of(st.text(max_size=10), st.integers(), st.none())))
def test_decide_accepts_or_rejects_naming_the_key(answers: dict[str, object]) -> None:
    bad = [
        key
        for key, value in answers.items()
        if key not in wizard.QUESTIONS_BY_ID or value not in wizard.QUESTIONS_BY_ID[key].choice_ids
    ]
    if bad:
        with pytest.raises(wizard.InvalidAnswers) as info:
            wizard.decide(answers)  # type: ignore[arg-type]
        assert info.value.key == bad[0]
        assert repr(bad[0]) in str(info.value)
    else:
        decision = wizard.decide(answers)  # type: ignore[arg-type]
        assert json.loads(wizard.render_json(decision))["verdict"] == decision.verdict


@given(raw_answers)
def test_skipping_questions_never_changes_a_verdict(answers: dict[str, str]) -> None:
    """The computed skip rule only drops answers that cannot matter: same verdict as ask_if alone gives."""
    static_values, _ = static_walk(answers)
    assert wizard.decide(answers).verdict == choose(static_values, estimate(static_values)).verdict


def _can_change(answers: dict[str, str], question: wizard.Question) -> bool:
    """Brute force (independent of wizard._flow): does some answer to question, with some later answers,
    give a different verdict than its default?"""
    index = wizard.QUESTIONS.index(question)
    later = wizard.QUESTIONS[index + 1 :]
    for rest in itertools.product(*(q.choice_ids for q in later)):
        tail = dict(zip((q.id for q in later), rest, strict=True))
        base = wizard.decide({**answers, question.id: question.default, **tail}).verdict
        for choice in question.choice_ids:
            if wizard.decide({**answers, question.id: choice, **tail}).verdict != base:
                return True
    return False


def test_the_last_question_asked_can_always_change_the_verdict() -> None:
    for answers in SPACE[:: max(1, len(SPACE) // 150)]:
        last = wizard.visible_questions(answers)[-1]
        assert _can_change(answers, last), (answers, last.id)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(SPACE), st.data())
def test_every_question_asked_can_change_the_verdict(answers: dict[str, str], data: st.DataObject) -> None:
    asked = [q for q in wizard.visible_questions(answers) if q.id not in {"kind", "time"}]  # too many completions
    if asked:
        question = data.draw(st.sampled_from(asked))
        assert _can_change(answers, question), (answers, question.id)


# ----------------------------------------------------------------------------------------------------------------
# The verdict follows from the model and the stated constraints (wizard/data/decision.toml).


def test_the_verdict_is_never_far_slower_than_an_allowed_strategy() -> None:
    """Exhaustive: the verdict's modelled time is never both over F x and S seconds slower than an allowed one."""
    for answers in SPACE:
        d = _decisions()[tuple(answers.values())]
        times = d.estimate.strategy_times
        excluded = {e.strategy for e in d.excluded}
        assert d.verdict not in excluded
        best = min(times[s] for s in wizard.STRATEGIES if s not in excluded)
        slower = times[d.verdict] - best
        assert times[d.verdict] <= best * DECISION.factor or slower <= DECISION.seconds, answers
        assert d.best not in excluded
        assert times[d.best] == best


def test_every_faster_strategy_passed_over_is_explained_with_its_numbers() -> None:
    """Exhaustive: each strategy shown faster than the verdict is named by a reason with both times; an excluded
    one's reason cites the constraint's catalogue rule."""
    for answers in SPACE:
        d = _decisions()[tuple(answers.values())]
        times = d.estimate.strategy_times
        shown = {s: wizard.format_seconds(t) for s, t in times.items()}
        excluded = {e.strategy: e for e in d.excluded}
        for strategy in wizard.STRATEGIES:
            if times[strategy] >= times[d.verdict] or shown[strategy] == shown[d.verdict]:
                continue
            naming = [r for r in d.reasons if strategy in r.text.split(" would take ")[0].replace(",", " ").split()]
            assert naming, (answers, strategy)
            reason = naming[0]
            assert f"would take {shown[strategy]} against {shown[d.verdict]} for {d.verdict}" in reason.text
            if strategy in excluded:
                assert reason.rule_id == excluded[strategy].rule_id, (answers, strategy)
                assert excluded[strategy].text in reason.text


def test_the_first_reason_states_the_verdicts_own_time() -> None:
    for answers in SPACE[::7]:
        d = _decisions()[tuple(answers.values())]
        assert wizard.format_seconds(d.estimate.strategy_times[d.verdict]) in d.reasons[0].text, answers
