"""Unit tests of the wizard engine: data loading, skip logic, decisions, worked examples, query strings, rendering."""

from __future__ import annotations

import json

import pytest

import wizard


@pytest.mark.parametrize("example", wizard.EXAMPLES, ids=lambda e: e.id)
def test_worked_example_gets_its_expected_verdict(example: wizard.Example) -> None:
    decision = wizard.decide(example.answers)
    assert decision.verdict == example.expected, decision.scores


def test_defaults_decide() -> None:
    decision = wizard.decide({})
    assert decision.verdict in wizard.VERDICTS
    assert decision.answers == dict(wizard.DEFAULTS)
    json.dumps(decision.to_dict())
