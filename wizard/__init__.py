"""asyncfit's decision wizard: should this module be sync, threaded, multi-process or async.

The same pure-Python package runs in three places: the `asyncfit` command (and `python -m wizard`), the test
suite, and the browser (the site loads this package's wheel into Pyodide). Its knowledge is data, validated at
import: wizard/data/questions.toml, rules.toml, outcomes.toml, model.toml, examples.toml and the public rules
catalogue catalogue.toml.

Public API (stable: the web page and the CLI rely on these names; new names may be added, none renamed):

Questions
    QUESTIONS                    tuple[Question, ...], in asking order. Question(id, text, help, choices, default,
                                 ask_if); Choice(id, label, help). ask_if maps earlier question IDs to choice IDs:
                                 the question is shown only when every listed question is shown and answered with
                                 one of the listed choices. On top of that, a question that cannot change the
                                 verdict given the earlier answers is not asked (wizard._flow). Questions not
                                 asked take their default.
    DEFAULTS                     {question ID: default choice ID}
    visible_questions(answers)   list[Question] to ask given the answers so far (unanswered = default); depends
                                 only on the answers before each question, so call it after every answer
    normalise_answers(answers)   complete answers {question ID: choice ID} in question order, unasked at default
    can_change_verdict(i, prefix)  the computed skip rule for question i given earlier normalised values (tuple)
    questions_schema()           JSON-ready dict: IDs, texts, choices, defaults, ask_if (`asyncfit questions`)
    answer_space()               iterator over every distinct complete normalised answer set

Deciding (the pipeline, top to bottom: answers -> workload numbers -> modelled time per strategy -> verdict ->
reasons; wizard/_engine.py)
    VERDICTS, STRATEGIES         ("sync", "sync-threads", "sync-processes", "async", "async-offload"), simplest first
    decide(answers)              Decision; missing answers take defaults; InvalidAnswers(key) on unknown key/value
    Decision                     verdict, title, summary, reasons (tuple[Reason(rule_id, text, url, template)], url
                                 like "rules/af101/": the rule's page, site-relative), caveats, pattern (starter code
                                 that fits the workload) and pattern_file, lint (ruff / flake8-async codes), estimate
                                 (Estimate), answers (normalised), best (the fastest allowed strategy), excluded
                                 (tuple[Exclusion(strategy, constraint, rule_id, text)]), rules_version;
                                 .outcome_url ("outcomes/async/"), .to_dict() (JSON-ready)
    DECISION_RULE                the decision rule, one sentence with its numbers (wizard/data/decision.toml)
    Estimate                     modelled seconds per strategy (.strategy_times; .sync_s, .threads_s, .processes_s,
                                 .async_s, .offload_s) and the workload behind them: operations, wait_s, cpu_s,
                                 concurrency, cores, thread_pool, process_pool, arrival_per_s, floor_s, cpu_kind,
                                 free_threaded, assumptions; .fastest, .to_dict(). Formulas: wizard/_model.py docstring.
    CATALOGUE                    {"AF101": CatalogueEntry(id, title, summary, lint, retired)}
    EXAMPLES                     tuple[Example(id, title, description, answers, expected, facts, accepted, source,
                                 accepted_verdict, note)], worked examples from public cases

Rules versions (permalinks that stay true)
    RULES_VERSION, VERSIONS      today's version (what `v=` carries) and every RulesVersion(number, date, title, ...)
    frozen_verdict(n, answers)   the verdict rules version n gave (from its frozen table)
    version_note(n, answers, verdict)  VersionNote(link_version, link_verdict, verdict, changes).text, or None

URLs
    parse_query(query)           ParsedQuery(answers, problems: list[Problem(key, message)], version); never raises
    to_query(answers)            "v=2&kind=script&time=waiting&...": the rules version and every question asked

Rendering
    render_text(decision)        plain text for a terminal
    render_markdown(decision, base_url=SITE_URL)   an Architecture Decision Record with absolute links
    render_json(decision)        JSON text of decision.to_dict()
    format_seconds(value)        a duration as the renderers write it: 820 ms, 4.2 s, 1,234 s
    SITE_URL                     "https://asyncfit.github.io/asyncfit/" (site_url in mkdocs.yml)

Errors (see wizard._errors): WizardError > DataError(file, key), InvalidAnswers(key).
"""

from wizard._engine import OUTCOMES, Decision, Exclusion, Outcome, Reason, decide, rule_url
from wizard._errors import DataError, InvalidAnswers, WizardError
from wizard._examples import EXAMPLES, Example
from wizard._flow import answer_space, can_change_verdict, normalise_answers, visible_questions
from wizard._format import format_seconds
from wizard._history import RULES_VERSION, VERSIONS, RulesVersion, VersionNote, frozen_verdict, version_note
from wizard._model import STRATEGIES, Estimate, estimate
from wizard._query import ParsedQuery, Problem, parse_query, to_query
from wizard._questions import DEFAULTS, QUESTIONS, QUESTIONS_BY_ID, Choice, Question, questions_schema
from wizard._render import SITE_URL, render_json, render_markdown, render_text, wizard_url
from wizard._rules import CATALOGUE, VERDICTS, CatalogueEntry
from wizard._verdict import DECISION_RULE

__version__ = "0.1.0"

__all__ = [
    "CATALOGUE",
    "DECISION_RULE",
    "DEFAULTS",
    "EXAMPLES",
    "OUTCOMES",
    "QUESTIONS",
    "QUESTIONS_BY_ID",
    "RULES_VERSION",
    "SITE_URL",
    "STRATEGIES",
    "VERDICTS",
    "VERSIONS",
    "CatalogueEntry",
    "Choice",
    "DataError",
    "Decision",
    "Estimate",
    "Example",
    "Exclusion",
    "InvalidAnswers",
    "Outcome",
    "ParsedQuery",
    "Problem",
    "Question",
    "Reason",
    "RulesVersion",
    "VersionNote",
    "WizardError",
    "answer_space",
    "can_change_verdict",
    "decide",
    "estimate",
    "format_seconds",
    "frozen_verdict",
    "normalise_answers",
    "parse_query",
    "questions_schema",
    "render_json",
    "render_markdown",
    "render_text",
    "rule_url",
    "to_query",
    "version_note",
    "visible_questions",
    "wizard_url",
]
