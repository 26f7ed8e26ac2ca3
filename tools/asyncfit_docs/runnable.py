"""The `pyrun` fence: an example readers can run in the browser, with its build-time CPython output.

Usage in Markdown (the snippet is included by pymdownx.snippets before this fence is formatted):

    ```pyrun
    --8<-- "gather_sleeps.py"
    ```

Options on the fence line (anything else is a build error naming the option):

- `timeline="1"`: after a run in the browser, draw one bar per asyncio task from its start to its end.
- `runs="cpython"` with `reason="..."`: the example cannot make its point in the browser: no Run button, only the
  build-time CPython output, labelled "CPython only, because <reason>". The reason is required, and is either a key
  of `CPYTHON_REASONS` (threads, processes, sockets, sleep, to_thread, signals), which expands to that sentence, or
  the real reason in your own words.
- `title="..."`, `hl_lines="..."`, `linenums="..."`: the usual pymdownx.highlight options.

The rendered markup is the no-JavaScript fallback (highlighted code, a label saying where the example runs and
the labelled build-time output). The runner (docs/assets/runner/) enhances it in place; its contract with this
markup is the `data-af-*` attributes on `div.af-runnable` and the `af-*` classes below.
"""

from __future__ import annotations

import html
import subprocess
import sys
from typing import Any

from pymdownx.superfences import SuperFencesException, highlight_validator

BUILD_TIMEOUT_S = 60

#: Options this fence understands, with their allowed values (None: any non-empty text).
FENCE_OPTIONS: dict[str, frozenset[str] | None] = {
    "timeline": frozenset({"0", "1"}),
    "runs": frozenset({"pyodide", "cpython"}),
    "reason": None,
}
#: Options handed on to pymdownx.highlight.
HIGHLIGHT_OPTIONS = frozenset({"hl_lines", "linenums", "title", "title_mode"})

#: The reasons an example cannot run in the browser, each measured in Pyodide 314 (../shared/README.md). A fence's
#: `reason="threads"` expands to the sentence; any other text is used as written.
CPYTHON_REASONS: dict[str, str] = {
    "threads": (
        "it starts real OS threads, which Python in the browser (Pyodide) cannot: threading.Thread.start raises"
        " RuntimeError there"
    ),
    "processes": "it starts processes, which Python in the browser (Pyodide) cannot",
    "sockets": "it opens real network sockets, which the browser does not give Python (Pyodide)",
    "sleep": (
        "its point is that time.sleep blocks the loop, and in the browser (Pyodide) time.sleep suspends instead"
        " wherever stack switching (JSPI) is available, so the bug would not show"
    ),
    "to_thread": (
        "in the browser (Pyodide) asyncio.to_thread runs its call on the event loop's own thread, as there are no"
        " threads, so what it shows would not happen there"
    ),
    "signals": "it sends its own process a signal, which Python in the browser (Pyodide) cannot receive",
}


class PyrunOptionError(SuperFencesException):
    """A `pyrun` fence has an unknown option or an invalid value (stops the build with a clear message)."""


def run_with_cpython(source: str) -> tuple[str, int]:
    """Run source with the build's CPython; return (stdout and stderr interleaved, exit code). Never raises."""
    try:
        proc = subprocess.run(
            [sys.executable, "-X", "utf8", "-u", "-c", source],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=BUILD_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"(stopped after {BUILD_TIMEOUT_S} s at build time)", -1
    return proc.stdout, proc.returncode


def check_options(inputs: dict[str, str]) -> dict[str, str]:
    """Return this fence's own options from the fence line, raising PyrunOptionError on anything invalid."""
    own: dict[str, str] = {}
    for key, value in inputs.items():
        if key in HIGHLIGHT_OPTIONS:
            continue
        if key not in FENCE_OPTIONS:
            known = ", ".join(sorted([*FENCE_OPTIONS, *HIGHLIGHT_OPTIONS]))
            raise PyrunOptionError(f'pyrun fence: unknown option {key}="{value}" (known options: {known})')
        allowed = FENCE_OPTIONS[key]
        if value is True or not str(value).strip():
            raise PyrunOptionError(f'pyrun fence: option {key} needs a value, e.g. {key}="..."')
        if allowed is not None and value not in allowed:
            choices = ", ".join(f'"{v}"' for v in sorted(allowed))
            raise PyrunOptionError(f'pyrun fence: option {key}="{value}" must be one of {choices}')
        own[key] = str(value)
    if "reason" in own and own.get("runs") != "cpython":
        raise PyrunOptionError('pyrun fence: option reason="..." only makes sense with runs="cpython"')
    if own.get("runs") == "cpython" and "reason" not in own:
        keys = ", ".join(CPYTHON_REASONS)
        raise PyrunOptionError(
            f'pyrun fence: runs="cpython" needs reason="..." saying why it cannot run in the browser ({keys},'
            " or the reason in your own words)"
        )
    if own.get("runs") == "cpython" and own.get("timeline") == "1":
        raise PyrunOptionError('pyrun fence: timeline="1" needs a browser run, but runs="cpython" has none')
    return own


def validate(language: str, inputs: dict[str, str], options: dict[str, Any], attrs: dict[str, Any], md: Any) -> bool:
    """Check the fence line: own options go to options["pyrun"], highlight options to pymdownx.highlight."""
    own = check_options(inputs)
    highlight_inputs = {k: v for k, v in inputs.items() if k in HIGHLIGHT_OPTIONS}
    okay = highlight_validator(language, highlight_inputs, options, attrs, md)
    if attrs:  # a highlight option with an invalid value (e.g. hl_lines="x") lands here
        bad = ", ".join(f'{k}="{v}"' for k, v in attrs.items())
        raise PyrunOptionError(f"pyrun fence: invalid value for {bad}")
    options["pyrun"] = own
    return okay


def format_fence(source: str, language: str, css_class: str, options: dict[str, Any], md: Any, **kwargs: Any) -> str:
    """Render the runnable example: where it runs, the code, then its build-time CPython output."""
    del language, css_class
    own: dict[str, str] = dict(options.get("pyrun") or {})
    highlight_options = {k: v for k, v in options.items() if k != "pyrun"}
    code = md.preprocessors["fenced_code_block"].highlight(
        src=source,
        language="python",
        options=highlight_options,
        md=md,
        classes=kwargs.get("classes") or [],
        id_value=kwargs.get("id_value", ""),
        attrs=kwargs.get("attrs") or {},
    )
    output, code_rc = run_with_cpython(source)
    cpython = f"CPython {sys.version_info.major}.{sys.version_info.minor}"
    status = "" if code_rc == 0 else f", exit code {code_rc}"
    runs = own.get("runs", "pyodide")
    if runs == "cpython":
        reason = CPYTHON_REASONS.get(own["reason"], own["reason"])
        where = f"CPython only, because {reason}. Not runnable in the browser."
        output_label = f"Output at build time ({cpython}{status})"
    else:
        where = "Runnable in your browser (Python on Pyodide, in a background worker)."
        output_label = f"Output at build time ({cpython}{status}); press Run to run it in your browser"
    data = {
        "data-af-runs": runs,
        "data-af-timeline": own.get("timeline", "0"),
        "data-af-exit": str(code_rc),
        "data-af-source": source,
    }
    attributes = " ".join(f'{k}="{html.escape(v, quote=True)}"' for k, v in data.items())
    return (
        f'<div class="af-runnable" {attributes}>'
        f'<p class="af-where">{html.escape(where)}</p>'
        f"{code}"
        f'<p class="af-output-label">{html.escape(output_label)}</p>'
        f'<pre class="af-output"><code>{html.escape(output)}</code></pre>'
        "</div>"
    )
