"""The decision rule's flowchart (docs/decide.md), from one description: Mermaid source and a pre-rendered SVG.

Why two renderings: the site loads no script from a CDN and its Content-Security-Policy forbids inline styles, so
Material's client-side Mermaid (fetched from unpkg, styled inline) cannot run here. The page therefore shows an SVG
drawn at build time with presentation attributes only (CSP-safe, works without JavaScript, outcome boxes are links),
and offers the same chart as Mermaid source to paste into a wiki, a README or an ADR, where Mermaid renders it.

Used from a markdown-exec block (runs in MkDocs and Zensical alike):

    ```python exec="1" html="1"
    from asyncfit_docs.decide_flow import render_svg
    print(render_svg(base="../"))
    ```
"""

from __future__ import annotations

import html
from dataclasses import dataclass

QUESTION_W, QUESTION_H = 190, 66
OUTCOME_W, OUTCOME_H = 132, 40
WIDTH, HEIGHT = 980, 560
LINE_H = 16


@dataclass(frozen=True)
class Node:
    """A box: a question (several lines) or a verdict (links to /outcomes/<verdict>/)."""

    id: str
    x: int  # centre
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


NODES: tuple[Node, ...] = (
    Node("time", 490, 10, ("Where does this module's", "time go? (measure:", "profile or log timings)")),
    Node("cpu", 170, 140, ("Computing: pure-Python", "work that must use", "several cores?")),
    Node("fanout", 640, 140, ("Waiting on I/O: how many", "waits are in flight", "at once?")),
    Node("processes", 80, 290, ("sync-processes",), "sync-processes"),
    Node("sync-cpu", 250, 290, ("sync",), "sync"),
    Node("sync-io", 420, 290, ("sync",), "sync"),
    Node("threads-io", 580, 290, ("sync-threads",), "sync-threads"),
    Node("libs", 800, 270, ("Hundreds or more, or", "long-lived connections:", "async libraries for it all?")),
    Node("threads-libs", 660, 430, ("sync-threads",), "sync-threads"),
    Node("leftover", 840, 410, ("Any CPU-heavy or", "blocking step left", "in the module?")),
    Node("offload", 760, 515, ("async-offload",), "async-offload"),
    Node("async", 910, 515, ("async",), "async"),
)

# (from, to, label)
EDGES: tuple[tuple[str, str, str], ...] = (
    ("time", "cpu", "computing"),
    ("time", "fanout", "waiting on I/O"),
    ("cpu", "processes", "yes"),
    ("cpu", "sync-cpu", "no: vectorise"),
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


def render_mermaid() -> str:
    """Return the flowchart as Mermaid source (flowchart TD), with the outcome pages as click links."""
    out = ["flowchart TD"]
    for node in NODES:
        label = " ".join(node.lines).replace('"', "'")
        out.append(f'    {node.id}(["{label}"])' if node.verdict else f'    {node.id}{{"{label}"}}')
    out.extend(f'    {src} -->|"{label}"| {dst}' for src, dst, label in EDGES)
    out.extend(
        f'    click {node.id} "https://asyncfit.github.io/asyncfit/outcomes/{node.verdict}/"'
        for node in NODES
        if node.verdict
    )
    return "\n".join(out)


def _text(node: Node) -> str:
    first = node.y + node.height / 2 - (len(node.lines) - 1) * LINE_H / 2 + 5
    weight = ' font-weight="bold"' if node.verdict else ""
    return "".join(
        f'<text x="{node.x}" y="{first + i * LINE_H:.0f}" text-anchor="middle" fill="currentColor" '
        f'font-size="13"{weight}>{html.escape(line)}</text>'
        for i, line in enumerate(node.lines)
    )


def _box(node: Node, base: str) -> str:
    left = node.x - node.width / 2
    if node.verdict:
        shape = (
            f'<rect x="{left:.0f}" y="{node.y}" width="{node.width}" height="{node.height}" rx="20" '
            'fill="#3f51b5" fill-opacity="0.15" stroke="currentColor" stroke-width="2"/>'
        )
        label = f"Outcome {node.verdict}: open its page"
        href = f"{base}outcomes/{node.verdict}/"
        return f'<a href="{href}" aria-label="{html.escape(label)}">{shape}{_text(node)}</a>'
    shape = (
        f'<rect x="{left:.0f}" y="{node.y}" width="{node.width}" height="{node.height}" rx="4" '
        'fill="none" stroke="currentColor" stroke-width="1.2"/>'
    )
    return shape + _text(node)


def _edge(src: Node, dst: Node, label: str) -> str:
    x1, y1 = src.x, src.y + src.height
    x2, y2 = dst.x, dst.y
    mid_x, mid_y = (x1 + x2) / 2, (y1 + y2) / 2
    return (
        f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2 - 2}" stroke="currentColor" stroke-width="1.2" '
        'marker-end="url(#af-arrow)"/>'
        f'<text x="{mid_x + (-6 if x2 < x1 else 6):.0f}" y="{mid_y:.0f}" fill="currentColor" font-size="12" '
        'font-style="italic" '
        f'text-anchor="{"end" if x2 < x1 else "start"}">{html.escape(label)}</text>'
    )


def render_svg(base: str = "../") -> str:
    """Return the flowchart as inline SVG; base is the relative path from the page to the site root."""
    nodes = _by_id()
    edges = "".join(_edge(nodes[s], nodes[d], label) for s, d, label in EDGES)
    boxes = "".join(_box(node, base) for node in NODES)
    return (
        f'<figure class="af-decide-flow"><svg viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
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
