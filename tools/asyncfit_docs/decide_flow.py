"""The decision rule's flowchart (docs/decide.md), from one description: Mermaid source and a pre-rendered SVG.

Why two renderings: the site loads no script from a CDN and its Content-Security-Policy forbids inline styles, so
Material's client-side Mermaid (fetched from unpkg, styled inline) cannot run here. The page therefore shows an SVG
drawn at build time with presentation attributes only (CSP-safe, works without JavaScript; outcome boxes are HTML
links in <foreignObject>s, see `_box`), and offers the same chart as Mermaid source to paste into a wiki, a
README or an ADR, where Mermaid renders it.

Used from a markdown-exec block (runs in MkDocs and Zensical alike):

    ```python exec="1" html="1"
    from asyncfit_docs.decide_flow import render_svg
    print(render_svg(base="../"))
    ```
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from asyncfit_docs.style_guide import site_url

QUESTION_W, QUESTION_H = 340, 60
OUTCOME_W, OUTCOME_H = 170, 40
QUESTION_X = 250  # centre of the question column
OUTCOME_LEFT = 600  # left edge of the outcome column
ELBOW_X = 450  # where question -> outcome arrows turn
LOOP_X = 50  # where the long question -> question arrow runs down the left
WIDTH, HEIGHT = 790, 600
LINE_H = 21


@dataclass(frozen=True)
class Node:
    """A box: a question (one or two lines) or a verdict (links to /outcomes/<verdict>/)."""

    id: str
    y: int  # top
    lines: tuple[str, ...]
    verdict: str = ""  # set for outcome boxes

    @property
    def width(self) -> int:
        """Box width."""
        return OUTCOME_W if self.verdict else QUESTION_W

    @property
    def height(self) -> int:
        """Box height."""
        return OUTCOME_H if self.verdict else QUESTION_H

    @property
    def x(self) -> int:
        """Horizontal centre: questions in the left column, verdicts in the right one."""
        return OUTCOME_LEFT + OUTCOME_W // 2 if self.verdict else QUESTION_X

    @property
    def mid_y(self) -> float:
        """Vertical centre."""
        return self.y + self.height / 2


NODES: tuple[Node, ...] = (
    Node("time", 10, ("Where does this module's time go?", "(measure: profile or log timings)")),
    Node("cpu", 120, ("Computing: must pure-Python", "work use several cores?")),
    Node("processes", 105, ("sync-processes",), "sync-processes"),
    Node("sync-cpu", 155, ("sync",), "sync"),
    Node("fanout", 250, ("Waiting on I/O: how many", "waits are in flight at once?")),
    Node("sync-io", 235, ("sync",), "sync"),
    Node("threads-io", 285, ("sync-threads",), "sync-threads"),
    Node("libs", 380, ("Hundreds+, or long-lived connections:", "async libraries for all of it?")),
    Node("threads-libs", 390, ("sync-threads",), "sync-threads"),
    Node("leftover", 510, ("Any CPU-heavy or blocking", "step left in the module?")),
    Node("offload", 495, ("async-offload",), "async-offload"),
    Node("async", 545, ("async",), "async"),
)

# (from, to, label). Question -> verdict arrows go right; question -> question arrows go down (around the left
# side when a question lies in between).
EDGES: tuple[tuple[str, str, str], ...] = (
    ("time", "cpu", "computing"),
    ("time", "fanout", "waiting on I/O"),
    ("cpu", "processes", "yes"),
    ("cpu", "sync-cpu", "no: vectorise first"),
    ("fanout", "sync-io", "one or a few"),
    ("fanout", "threads-io", "tens"),
    ("fanout", "libs", "hundreds+"),
    ("libs", "threads-libs", "none"),
    ("libs", "leftover", "all or most"),
    ("leftover", "offload", "yes"),
    ("leftover", "async", "no"),
)


def _by_id() -> dict[str, Node]:
    return {node.id: node for node in NODES}


def _mermaid_id(node_id: str) -> str:
    """Node IDs without hyphens (Mermaid reads '-' as the start of an arrow)."""
    return node_id.replace("-", "_")


def render_mermaid(site: str | None = None) -> str:
    """Return the flowchart as Mermaid source (flowchart TD); verdicts link to their pages under site (site_url)."""
    site = site or site_url()
    out = ["flowchart TD"]
    for node in NODES:
        label = " ".join(node.lines).replace('"', "'")
        name = _mermaid_id(node.id)
        out.append(f'    {name}(["{label}"])' if node.verdict else f'    {name}{{"{label}"}}')
    out.extend(f'    {_mermaid_id(src)} -->|"{label}"| {_mermaid_id(dst)}' for src, dst, label in EDGES)
    out.extend(f'    click {_mermaid_id(node.id)} "{site}outcomes/{node.verdict}/"' for node in NODES if node.verdict)
    return "\n".join(out)


def _text(node: Node) -> str:
    first = node.mid_y - (len(node.lines) - 1) * LINE_H / 2 + 6
    weight = ' font-weight="bold"' if node.verdict else ""
    return "".join(
        f'<text x="{node.x}" y="{first + i * LINE_H:.0f}" text-anchor="middle" fill="currentColor" '
        f'font-size="17"{weight}>{html.escape(line)}</text>'
        for i, line in enumerate(node.lines)
    )


def _box(node: Node, base: str) -> str:
    """One box. An outcome box is a rounded rect plus an HTML link laid over it in a <foreignObject>.

    Why not an SVG <a>: Material's bundle sets ``.href`` on every ``a[href]`` of the page at load, which throws on
    an SVG link (its href is a read-only SVGAnimatedString) and stops the rest of that setup. Inside a
    <foreignObject> the parser makes the <a> an ordinary HTML link: one click, in the tab order, styled by
    docs/assets/wizard/wizard.css (``.af-flow-link``), and plain text in the box without CSS.
    """
    left = node.x - node.width / 2
    if node.verdict:
        shape = (
            f'<rect x="{left:.0f}" y="{node.y}" width="{node.width}" height="{node.height}" rx="20" '
            'fill="#3f51b5" fill-opacity="0.15" stroke="currentColor" stroke-width="2"/>'
        )
        label = html.escape(f"Outcome {node.verdict}: open its page", quote=True)
        href = html.escape(f"{base}outcomes/{node.verdict}/", quote=True)
        text = html.escape(" ".join(node.lines))
        return (
            f'{shape}<foreignObject x="{left:.0f}" y="{node.y}" width="{node.width}" height="{node.height}">'
            f'<a class="af-flow-link" href="{href}" aria-label="{label}">{text}</a></foreignObject>'
        )
    shape = (
        f'<rect x="{left:.0f}" y="{node.y}" width="{node.width}" height="{node.height}" rx="4" '
        'fill="none" stroke="currentColor" stroke-width="1.2"/>'
    )
    return shape + _text(node)


def _label(x: float, y: float, text: str, extra: str = "") -> str:
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" fill="currentColor" font-size="15" font-style="italic"{extra}>'
        f"{html.escape(text)}</text>"
    )


def _points(*xy: tuple[float, float]) -> str:
    return " ".join(f"{x:.0f},{y:.0f}" for x, y in xy)


def _edge(src: Node, dst: Node, label: str) -> str:
    """One arrow: right to a verdict, straight down to the next question, or down the left side past one."""
    if dst.verdict:
        right = src.x + src.width / 2
        points = _points((right, src.mid_y), (ELBOW_X, src.mid_y), (ELBOW_X, dst.mid_y), (OUTCOME_LEFT - 2, dst.mid_y))
        text = _label(ELBOW_X + 8, dst.mid_y - 6, label)
    elif any(n.y > src.y and n.y < dst.y and not n.verdict for n in NODES):
        left = src.x - src.width / 2
        points = _points((left, src.mid_y), (LOOP_X, src.mid_y), (LOOP_X, dst.mid_y), (left - 2, dst.mid_y))
        mid = (src.mid_y + dst.mid_y) / 2
        text = _label(LOOP_X - 8, mid, label, f' text-anchor="middle" transform="rotate(-90 {LOOP_X - 8} {mid:.0f})"')
    else:
        points = _points((src.x, src.y + src.height), (dst.x, dst.y - 2))
        text = _label(src.x + 8, (src.y + src.height + dst.y) / 2 + 5, label)
    return (
        f'<polyline points="{points}" fill="none" stroke="currentColor" stroke-width="1.2" '
        'marker-end="url(#af-arrow)"/>' + text
    )


def render_svg(base: str = "../") -> str:
    """Return the flowchart as inline SVG; base is the relative path from the page to the site root."""
    nodes = _by_id()
    edges = "".join(_edge(nodes[s], nodes[d], label) for s, d, label in EDGES)
    boxes = "".join(_box(node, base) for node in NODES)
    return (
        f'<figure class="af-decide-flow"><svg viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        'role="group" '
        'aria-labelledby="af-flow-title af-flow-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="af-flow-title">The decision rule as a flowchart</title>'
        '<desc id="af-flow-desc">Per module: computing goes to sync, or to sync-processes when pure-Python work '
        "needs several cores. Waiting on I/O with one or a few waits goes to sync, tens of waits to sync-threads; "
        "hundreds of waits or long-lived connections go to async when async libraries exist, to async-offload "
        "when CPU-heavy or blocking steps remain, and to sync-threads when no async library exists.</desc>"
        '<defs><marker id="af-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker></defs>'
        f"{edges}{boxes}</svg>"
        "<figcaption>The decision rule, per module. Each outcome box links to its page.</figcaption></figure>"
    )
