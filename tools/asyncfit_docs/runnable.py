"""The `pyrun` fence: an example readers can run in the browser, with its build-time CPython output.

Usage in Markdown (the snippet is included by pymdownx.snippets before this fence is formatted):

    ```pyrun
    --8<-- "gather_sleeps.py"
    ```

Minimal version: highlighted code plus the output of running it with CPython at build time.
The in-browser runner (docs/assets/runner/) enhances this markup; without JavaScript it is all there is.
"""

from __future__ import annotations

import html
import subprocess
import sys
from typing import Any

from pymdownx.superfences import highlight_validator

BUILD_TIMEOUT_S = 60


def run_with_cpython(source: str) -> tuple[str, int]:
    """Run source with the build's CPython; return (combined output, exit code). Never raises."""
    try:
        proc = subprocess.run(
            [sys.executable, "-X", "utf8", "-c", source],
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"(stopped after {BUILD_TIMEOUT_S} s at build time)", -1
    return proc.stdout + proc.stderr, proc.returncode


def validate(language: str, inputs: dict[str, str], options: dict[str, Any], attrs: dict[str, Any], md: Any) -> bool:
    """Accept the fence's options (delegates to pymdownx's highlight options)."""
    return highlight_validator(language, inputs, options, attrs, md)


def format_fence(source: str, language: str, css_class: str, options: dict[str, Any], md: Any, **kwargs: Any) -> str:
    """Render the runnable example: code, then its build-time CPython output."""
    del language, css_class
    code = md.preprocessors["fenced_code_block"].highlight(
        src=source,
        language="python",
        options=options,
        md=md,
        classes=kwargs.get("classes") or [],
        id_value=kwargs.get("id_value", ""),
        attrs=kwargs.get("attrs") or {},
    )
    output, code_rc = run_with_cpython(source)
    status = "" if code_rc == 0 else f" (exit code {code_rc})"
    return (
        '<div class="af-runnable">'
        f"{code}"
        f'<p class="af-output-label">Output at build time, CPython {sys.version_info.major}.{sys.version_info.minor}'
        f"{status}</p>"
        f'<pre class="af-output"><code>{html.escape(output)}</code></pre>'
        "</div>"
    )
