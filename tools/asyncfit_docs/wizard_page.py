"""Build-time HTML for the decision wizard (/wizard/), the outcome pages (/outcomes/<id>/) and /wizard/examples/.

Called from markdown-exec blocks in the Markdown pages (portable: MkDocs and Zensical both run them), e.g.:

    ```python exec="1" html="1"
    from asyncfit_docs.wizard_page import wizard_html
    print(wizard_html())
    ```

Everything shown comes from the engine (`wizard` package) at build time, so pages never drift from it:

- `wizard_html()`: the questionnaire as a real ``<form method="get">`` (fieldsets, radio groups, labels, help),
  the empty verdict panel the page script fills, the decision table (see wizard_table.py) as HTML-escaped JSON
  text in a ``<template data-af-table>``, the highlighted starter patterns as ``<template>`` elements, and a list
  of the five outcomes that works without JavaScript.

  Why a ``<template>`` and not ``<script type="application/json">``: Material's instant navigation re-creates
  every ``<script>`` of the new page keeping only its text, which would turn the table into an inline script
  (blocked by the site's CSP) and leave the wizard without its table. A template's content is inert and kept as
  it is. Templates carry ``data-search-exclude`` (honoured by Material's and Zensical's search): their text is
  data, and indexing it made the search index twice as large, all of it built again on every page load.
- `outcome_html(verdict)`: the body of one outcome page.
- `examples_html()`: the worked examples with their verdicts and permalinks into the wizard.

All text is escaped with `html.escape`; the page script (docs/assets/wizard/) only uses textContent and DOM APIs.
"""

from __future__ import annotations

import functools
from html import escape
from typing import Any

import markdown

import wizard
from asyncfit_docs.wizard_table import build_table, table_url

VERDICT_BLURBS: dict[str, str] = {
    "sync": "Plain synchronous code: one thing at a time.",
    "sync-threads": "Synchronous code that overlaps its blocking waits in a thread pool.",
    "sync-processes": "Synchronous code that spreads CPU-heavy work over a process pool.",
    "async": "asyncio (or another event loop) all the way down: many waits in flight at once.",
    "async-offload": "Async code that hands its blocking or CPU-heavy steps to threads or processes.",
}
"""One line per verdict for the outcome list (the full text is on each outcome page, from the engine)."""


@functools.cache
def _md() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["pymdownx.highlight", "pymdownx.superfences"],
        extension_configs={"pymdownx.highlight": {"anchor_linenums": False}},
    )


def highlight_python(code: str) -> str:
    """Python code highlighted with the same markup (and so the same CSS) as the site's code blocks."""
    md = _md()
    md.reset()
    return md.convert(f"```python\n{code.rstrip()}\n```")


def _attr(value: str) -> str:
    return escape(value, quote=True)


def question_html(question: wizard.Question) -> str:
    """One question: a fieldset with a legend, its help text and one labelled radio button per choice."""
    qid = question.id
    parts = [
        f'<fieldset class="af-q" id="q-{_attr(qid)}" data-af-question="{_attr(qid)}"'
        f' aria-describedby="q-{_attr(qid)}-help">',
        f"<legend>{escape(question.text)}</legend>",
        f'<p class="af-q-help" id="q-{_attr(qid)}-help">{escape(question.help)}</p>',
    ]
    if question.ask_if:
        conditions = "; ".join(
            f"{wizard.QUESTIONS_BY_ID[dep].text.rstrip('?')}: "
            + " or ".join(wizard.QUESTIONS_BY_ID[dep].choice(v).label for v in values)
            for dep, values in question.ask_if.items()
        )
        parts.append(f'<p class="af-q-when" data-af-no-js>Only matters when: {escape(conditions)}.</p>')
    for choice in question.choices:
        cid = f"q-{qid}-{choice.id}"
        checked = " checked" if choice.id == question.default else ""
        default = " (default)" if choice.id == question.default else ""
        parts.append(
            f'<label class="af-choice" for="{_attr(cid)}">'
            f'<input type="radio" id="{_attr(cid)}" name="{_attr(qid)}" value="{_attr(choice.id)}"'
            f' aria-describedby="{_attr(cid)}-help"{checked}>'
            f'<span><span class="af-choice-label">{escape(choice.label)}{escape(default)}</span>'
            f'<span class="af-choice-help" id="{_attr(cid)}-help">{escape(choice.help)}</span></span>'
            "</label>"
        )
    parts.append("</fieldset>")
    return "\n".join(parts)


def outcome_list_html(root: str) -> str:
    """Render the five outcomes as a list of links (root: relative path from the page to the site root, e.g. "../")."""
    items = []
    for verdict in wizard.VERDICTS:
        outcome = wizard.OUTCOMES[verdict]
        items.append(
            f'<li><a href="{_attr(root)}outcomes/{_attr(verdict)}/">'
            f'<span class="af-verdict-code">{escape(verdict)}</span>: '
            f"{escape(outcome.title)}</a>. {escape(VERDICT_BLURBS[verdict])}</li>"
        )
    return '<ul class="af-outcome-list">\n' + "\n".join(items) + "\n</ul>"


def _panel_skeleton() -> str:
    """Render the verdict panel's fixed structure; the page script fills the `data-af-slot` elements."""
    return f"""<template data-af-skeleton data-search-exclude>
<p class="af-verdict-id">Verdict:
<a class="af-badge" data-af-slot="verdict-link"><span data-af-slot="verdict"></span></a></p>
<h2 class="af-verdict-title" data-af-slot="title"></h2>
<p data-af-slot="summary"></p>
<h3>Why</h3>
<ul class="af-reasons" data-af-slot="reasons"></ul>
<div data-af-slot="caveats-block"><h3>Caveats</h3><ul data-af-slot="caveats"></ul></div>
<h3>Lint rules to enable</h3>
<div data-af-slot="lint"></div>
<h3>Modelled time for a batch</h3>
<div data-af-slot="chart"></div>
<p class="af-chart-workload" data-af-slot="workload"></p>
<div data-af-slot="exclusions-block"><p>Excluded for these answers:</p><ul data-af-slot="exclusions"></ul></div>
<p class="af-chart-rule"><strong>Decision rule:</strong> {escape(wizard.DECISION_RULE)}</p>
<details class="af-assumptions"><summary>The model's assumptions and formulas</summary>
<ul data-af-slot="assumptions"></ul>
<p>With n operations, each waiting w and computing c, k of them independent, p cores, a thread pool of
T = min(k, 100) and P = min(k, p) processes: sync = n·w + n·c; threads = ⌈n / T⌉·w + n·c (the CPU part runs in
parallel only when it releases the GIL or on a free-threaded build); processes = ⌈n / P⌉·w + n·c / P + start-up;
async = ⌈n / k⌉·w + n·c; async-offload = the async waits plus the CPU part in a pool when that is faster. A service
with a known load cannot finish before its requests arrive. A model for comparing strategies, not a
benchmark: <a href="../how-async-works/">the learning pages</a> measure real runs.</p>
</details>
<h3>Starter pattern</h3>
<p class="af-pattern-file" data-af-slot="pattern-file"></p>
<div data-af-slot="pattern"></div>
</template>"""


def wizard_html() -> str:
    """Render the whole wizard: form, verdict panel, actions, decision table, pattern templates and the outcome list."""
    table = build_table()
    questions = "\n".join(question_html(q) for q in wizard.QUESTIONS)
    patterns = "\n".join(
        f'<template data-af-pattern="{i}" data-search-exclude>{highlight_python(code)}</template>'
        for i, code in enumerate(table["patterns"])
    )
    stats = table["stats"]
    src = "../" + table_url()
    return f"""<div class="af-wizard" data-af-wizard data-af-table-src="{_attr(src)}"
 data-af-table-fingerprint="{_attr(table["fingerprint"])}">
<div class="af-wizard-problems" role="alert" data-af-problems hidden></div>
<div class="af-wizard-version" role="status" data-af-version-note hidden></div>
<form class="af-wizard-form" method="get" action="./" data-af-form>
{questions}
<p data-af-no-js><button class="af-button" type="submit">Put my answers in the link</button>
Without JavaScript the verdict cannot update here: your answers go into the page address, and the outcomes below
explain each verdict.</p>
</form>
<p class="af-wizard-announce" role="status" data-af-announce></p>
<section class="af-wizard-panel" data-af-panel tabindex="-1" aria-label="Verdict" hidden></section>
<div class="af-wizard-actions" data-af-js-only hidden>
<button class="af-button" type="button" data-af-copy>Copy link</button>
<button class="af-button af-button--secondary" type="button" data-af-export>Export ADR (Markdown)</button>
<input type="text" readonly aria-label="Link to these answers" data-af-link-field hidden>
<span role="status" data-af-status></span>
</div>
<p class="af-wizard-verify" data-af-js-only hidden>
<button class="af-button af-button--secondary" type="button" data-af-verify>Verify in Python</button>
<span role="status" data-af-verify-status>Runs <code>wizard.decide()</code> on these answers with the real Python
engine in your browser (Pyodide, about 10 MB the first time) and compares it with the verdict shown.</span>
</p>
<p class="af-wizard-table-note" data-af-js-only hidden>Verdicts come from a table the Python engine computed at build
time for all {stats["answer_sets"]:,} answer combinations ({stats["decisions"]:,} distinct decisions), under rules
v{table["rules_version"]} (<a href="rules-changelog/">rules changelog</a>): no rule runs in your browser.</p>
<p class="af-wizard-loading" role="status" data-af-table-status data-af-js-only hidden>Loading the decision
table…</p>
{_panel_skeleton()}
{patterns}
</div>
<section class="af-wizard-outcomes" data-af-outcomes>
<h2 id="all-outcomes">All five outcomes</h2>
{outcome_list_html("../")}
</section>"""


def _examples_for(verdict: str | None = None) -> list[tuple[wizard.Example, wizard.Decision]]:
    out = []
    for example in wizard.EXAMPLES:
        decision = wizard.decide(example.answers)
        if verdict is None or decision.verdict == verdict:
            out.append((example, decision))
    return out


def _wizard_link(root: str, answers: Any) -> str:
    query = wizard.to_query(answers)
    return f"{root}wizard/" + (f"?{escape(query, quote=True)}" if query else "")


def outcome_html(verdict: str) -> str:
    """Body of /outcomes/<verdict>/: meaning, when it applies, pattern, lint, caveats, rules and worked examples."""
    if verdict not in wizard.VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}; expected one of {', '.join(wizard.VERDICTS)}")
    outcome = wizard.OUTCOMES[verdict]
    table = build_table()
    root = "../../"
    # Which rules and caveats the engine gives with this verdict, over the whole answer space.
    verdict_index = next(i for i, v in enumerate(table["verdicts"]) if v["verdict"] == verdict)
    rule_counts: dict[str, int] = {}
    caveat_counts: dict[int, int] = {}
    for v, rs, cs, *_ in table["decisions"]:
        if v != verdict_index:
            continue
        for r in table["reason_sets"][rs]:
            rule = table["reasons"][r]["rule"]
            rule_counts[rule] = rule_counts.get(rule, 0) + 1
        for c in table["caveat_sets"][cs]:
            caveat_counts[c] = caveat_counts.get(c, 0) + 1
    rules = sorted(rule_counts)
    lint = outcome.lint
    parts = [
        f'<p class="af-verdict-id">Verdict ID: <code class="af-badge">{escape(verdict)}</code> '
        f"(stable: link to <code>/outcomes/{escape(verdict)}/</code> from your style guide)</p>",
        '<h2 id="what-it-means">What it means</h2>',
        f"<p><strong>{escape(outcome.title)}.</strong> {escape(outcome.summary)}</p>",
        '<h2 id="when-it-applies">When it applies</h2>',
        "<p>The wizard gives this verdict when these rules decide it (every rule the engine cites for it):</p>",
        "<ul>",
    ]
    for rule in rules:
        entry = wizard.CATALOGUE[rule]
        parts.append(
            f'<li><a href="{root}{wizard.rule_url(rule)}">{escape(rule)}</a> {escape(entry.title)}: '
            f"{escape(entry.summary)}</li>"
        )
    parts += [
        "</ul>",
        '<h2 id="starter-pattern">Starter patterns</h2>',
        "<p>The wizard picks the pattern that fits the workload: the kind of program, and whether its time goes to "
        "waiting or computing. Each is a real file in the repository's <code>snippets/patterns/</code>, run by the "
        "tests.</p>",
        *_patterns_html(verdict),
        '<h2 id="lint">Lint configuration</h2>',
    ]
    if lint:
        codes = ", ".join(f'"{c}"' for c in lint)
        parts += [
            "<p>Enable these ruff / flake8-async rules:</p>",
            '<ul class="af-lint">' + "".join(f"<li><code>{escape(c)}</code></li>" for c in lint) + "</ul>",
            "<p>In <code>pyproject.toml</code>:</p>",
            highlight_toml(f"[tool.ruff.lint]\nextend-select = [{codes}]\n"),
        ]
    else:
        parts.append(
            "<p>No async-specific lint rules are needed for this verdict: the code has no event loop to block.</p>"
        )
    parts += ['<h2 id="caveats">Caveats</h2>', "<ul>"]
    seen_caveats = list(outcome.caveats) + [
        table["caveats"][c] for c in sorted(caveat_counts) if table["caveats"][c] not in outcome.caveats
    ]
    parts += [f"<li>{escape(c)}</li>" for c in seen_caveats]
    parts += ["</ul>", '<h2 id="worked-examples">Worked examples landing here</h2>']
    examples = _examples_for(verdict)
    if examples:
        parts.append("<ul>")
        for example, _decision in examples:
            parts.append(
                f'<li><a href="{root}wizard/examples/#{_attr(example.id)}">{escape(example.title)}</a>: '
                f"{escape(example.description)} "
                f'<a href="{_wizard_link(root, example.answers)}">Open in the wizard</a></li>'
            )
        parts.append("</ul>")
    else:
        parts.append("<p>None of the worked examples lands here yet.</p>")
    parts += [
        '<h2 id="other-outcomes">The other outcomes</h2>',
        outcome_list_html(root),
        f'<p><a href="{root}wizard/">Run the decision wizard</a> for your own module.</p>',
    ]
    return "\n".join(parts)


_FAMILY_NAMES = {
    "service": "a web service or worker",
    "batch": "a script, CLI or pipeline",
    "gui": "a desktop GUI",
    "library": "a library",
}


def _patterns_html(verdict: str) -> list[str]:
    """Render the starter patterns of one verdict, one section per kind of program and kind of work."""
    parts = []
    for (v, family, work), (name, code) in sorted(wizard._patterns.PATTERNS.items()):
        if v != verdict:
            continue
        parts += [
            f'<h3 id="pattern-{_attr(family)}-{_attr(work)}">For {escape(_FAMILY_NAMES[family])}, '
            f"{'mostly waiting' if work == 'waiting' else 'mostly computing'}</h3>",
            f"<p><code>snippets/patterns/{escape(name)}</code></p>",
            highlight_python(code),
        ]
    if not parts:
        parts.append(highlight_python(wizard.OUTCOMES[verdict].pattern))
    return parts


def highlight_toml(code: str) -> str:
    """TOML highlighted with the site's code-block markup."""
    md = _md()
    md.reset()
    return md.convert(f"```toml\n{code.rstrip()}\n```")


def _example_summary(rows: list[tuple[wizard.Example, wizard.Decision]]) -> str:
    agree = sum(example.agrees for example, _ in rows)
    lines = [
        f"<p>{len(rows)} worked examples; the wizard's verdict is the one closest to the accepted outcome in "
        f"{agree} of them. Where it is not, the example says why.</p>",
        '<table class="af-examples-table"><thead><tr><th>Example</th><th>Kind</th><th>Accepted</th>'
        "<th>Wizard</th></tr></thead><tbody>",
    ]
    for example, decision in rows:
        mark = "" if example.agrees else " (differs)"
        lines.append(
            f'<tr><td><a href="#{_attr(example.id)}">{escape(example.title)}</a></td>'
            f"<td>{escape(decision.answers['kind'])}</td><td><code>{escape(example.accepted_verdict)}</code></td>"
            f"<td><code>{escape(decision.verdict)}</code>{mark}</td></tr>"
        )
    lines.append("</tbody></table>")
    return "\n".join(lines)


def examples_html() -> str:
    """Body of /wizard/examples/: every worked example with its source, facts, accepted outcome and verdict."""
    root = "../../"
    rows = _examples_for()
    parts = [_example_summary(rows)]
    for example, decision in rows:
        answers = wizard.normalise_answers(example.answers)
        shown = {q.id for q in wizard.visible_questions(answers)}
        source = example.source
        agreement = "agrees with the accepted outcome" if example.agrees else "differs from the accepted outcome"
        parts += [
            f'<h2 id="{_attr(example.id)}">{escape(example.title)}</h2>',
            f"<p>{escape(example.description)}</p>",
        ]
        if source is not None:
            parts.append(
                f'<p class="af-example-source">Source ({escape(source.kind)}): '
                f'<a href="{_attr(source.url)}" data-af-example-source>{escape(source.title)}</a></p>'
            )
        parts += [
            f"<p><strong>The facts as given:</strong> {escape(example.facts)}</p>",
            f"<p><strong>Accepted outcome:</strong> {escape(example.accepted)} "
            f"(closest verdict: <code>{escape(example.accepted_verdict)}</code>)</p>",
            f'<p>Wizard\'s verdict: <a class="af-badge" href="{root}outcomes/{_attr(decision.verdict)}/" '
            f'data-af-example-verdict="{_attr(decision.verdict)}">{escape(decision.verdict)}</a> '
            f"({escape(decision.title)}), which {agreement}. "
            f'<a href="{_wizard_link(root, example.answers)}" data-af-example-link>Open these answers in the '
            "wizard</a></p>",
        ]
        if example.note:
            parts.append(f'<p class="af-example-note"><strong>Note:</strong> {escape(example.note)}</p>')
        parts.append("<details><summary>Answers and reasons</summary><ul>")
        for q in wizard.QUESTIONS:
            if q.id in shown:
                value = answers[q.id]
                default = " (default)" if value == q.default else ""
                parts.append(f"<li>{escape(q.text)} <strong>{escape(q.choice(value).label)}</strong>{default}</li>")
        parts += ["</ul>", "<p>Why:</p>", "<ul>"]
        parts += [
            f'<li><a href="{root}{r.url}">{escape(r.rule_id)}</a> {escape(r.text)}</li>' for r in decision.reasons
        ]
        parts += ["</ul>", f"<p>Modelled time: {escape(wizard._render.estimate_line(decision))}.</p>", "</details>"]
    return "\n".join(parts)


def rules_changelog_html() -> str:
    """Body of /wizard/rules-changelog/: every rules version, newest first, anchored #v1, #v2, ..."""
    parts = [
        f"<p>Today's rules are <strong>v{wizard.RULES_VERSION}</strong>. Every wizard link carries the version it "
        "was made with (<code>v=</code>); a link without one was made with v1. Opening an older link shows today's "
        "verdict, and says what the link's version said when that differs.</p>",
        f"<p><strong>Decision rule (v{wizard.RULES_VERSION}):</strong> {escape(wizard.DECISION_RULE)}</p>",
    ]
    for version in reversed(wizard.VERSIONS):
        parts += [
            f'<h2 id="v{version.number}">v{version.number}: {escape(version.title)} ({escape(version.date)})</h2>',
            f"<p>{escape(version.summary)}</p>",
            "<ul>",
            *(f"<li>{escape(change)}</li>" for change in version.changes),
            "</ul>",
        ]
    return "\n".join(parts)
