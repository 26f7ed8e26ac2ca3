"""The `pyrun` fence: an example readers can run in the browser, with its build-time CPython output.

Usage in Markdown (the snippet is included by pymdownx.snippets before this fence is formatted):

    ```pyrun
    --8<-- "gather_sleeps.py"
    ```

Options on the fence line (anything else is a build error naming the option):

- `timeline="1"`: after a run in the browser, draw one bar per asyncio task from its start to its end.
- `runs="cpython"`: the example needs something Pyodide lacks (real threads, processes, sockets): no Run button,
  only the build-time CPython output, labelled "CPython only, because ...". `reason="..."` overrides the reason.
- `title="..."`, `hl_lines="..."`, `linenums="..."`: the usual pymdownx.highlight options.

The rendered markup is the no-JavaScript fallback (highlighted code, a label saying where the example runs and
the labelled build-time output). The runner (docs/assets/runner/) enhances it in place; its contract with this
markup is the `data-af-*` attributes on `div.af-runnable` and the `af-*` classes below. `data-af-id` is a
fingerprint of the original code: the runner keys a reader's saved edit and share links on it, so an edit made on
an older version of an example is recognised as such (docs/assets/runner/saved.js).
"""

from __future__ import annotations

import hashlib
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

#: Hex digits of the code's SHA-256 kept in `data-af-id` (48 bits: no collision among a site's examples).
EXAMPLE_ID_DIGITS = 12

DEFAULT_CPYTHON_REASON = "it needs real threads, processes or sockets, which Python in the browser (Pyodide) lacks"


def example_id(source: str) -> str:
    """Return the fingerprint of an example's original code (`data-af-id`): the same code, the same id."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:EXAMPLE_ID_DIGITS]


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
        reason = own.get("reason", DEFAULT_CPYTHON_REASON)
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
        "data-af-id": example_id(source),
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
