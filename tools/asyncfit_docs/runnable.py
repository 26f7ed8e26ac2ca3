"""The `pyrun` fence: an example readers can run in the browser, with its build-time CPython output.

Usage in Markdown (the snippet is included by pymdownx.snippets before this fence is formatted):

    ```pyrun
    --8<-- "gather_sleeps.py"
    ```

Options on the fence line (anything else is a build error naming the option):

- `timeline="1"`: after a run in the browser, draw one bar per asyncio task from its start to its end.
- `limit="N"`: stop a browser run automatically after N seconds (1 to 600; default `DEFAULT_LIMIT_S`): first
  interrupted, then the worker restarted if the interrupt does not land. The reader's code is kept.
- `runs="cpython"` with `reason="..."`: the example cannot make its point in the browser: no Run button, only the
  build-time CPython output, labelled "CPython only, because <reason>". The reason is required, and is either a key
  of `CPYTHON_REASONS` (threads, processes, sockets, sleep, to_thread, signals), which expands to that sentence, or
  the real reason in your own words.
- `stdin="Ada"`: the example reads a line (input()). At build time that text (a backslash-n in it starts another
  line) and a newline are written to the program's stdin `STDIN_DELAY_S` seconds after it starts, as a person
  typing would, so the build-time output shows what waiting for a reader does (input() echoes the line it read,
  as a terminal shows it). Without this option the build-time run gets an empty, closed stdin (input() raises
  EOFError): stdin is never inherited from the build. In the browser the reader types the line
  (docs/assets/runner/stdin.js); the markup says so with `data-af-stdin="1"`.
- `title="..."`, `hl_lines="..."`, `linenums="..."`: the usual pymdownx.highlight options.
- `requires="anyio blockbuster"`: distributions the example needs beyond what it imports (a pytest plugin, code
  it writes out and runs), added to its downloadable file's dependencies (pinned from requirements.txt).

Every example, CPython-only ones included, can be run locally: the markup carries the file name (`data-af-file`:
the snippet's own name when the code is a snippet file, found by content in pymdownx.snippets' base paths, else
one derived from the title or the code) and its PEP 723 header (`data-af-pep723`, computed by pep723.py: minimum
Python and pinned dependencies), and shows the `uv run` / `pipx run` command. The runner adds "Download .py",
which saves the code as it is in the editor, with that header on top.

The rendered markup is the no-JavaScript fallback (highlighted code, a label saying where the example runs and
the labelled build-time output). The runner (docs/assets/runner/) enhances it in place; its contract with this
markup is the `data-af-*` attributes on `div.af-runnable` and its `af-*` classes, all written by `RunnableBlock`
(the `exercise` fence, exercise.py, renders its runnable block with it too). `data-af-id` is a fingerprint of the
original code: the runner keys a reader's saved edit and share links on it, so an edit made on an older version of
an example is recognised as such (docs/assets/runner/saved.js).
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pymdownx.superfences import SuperFencesException, highlight_validator

from asyncfit_docs.pep723 import ScriptMetadataError, script_metadata

BUILD_TIMEOUT_S = 60
#: Seconds after a build-time run starts before its `stdin="..."` text is written (a person typing).
STDIN_DELAY_S = 1.5
#: Imported first (as sitecustomize) by a build-time run fed with `stdin="..."`: input() echoes the line it read
#: after its prompt, as a terminal does, without changing the program's own code, lines or frames.
_ECHO_INPUT = """\
import builtins

_read = builtins.input


def _echoing_input(prompt=""):
    line = _read(prompt)
    print(line, flush=True)
    return line


builtins.input = _echoing_input
"""

#: Options this fence understands, with their allowed values (None: any non-empty text).
FENCE_OPTIONS: dict[str, frozenset[str] | None] = {
    "timeline": frozenset({"0", "1"}),
    "runs": frozenset({"pyodide", "cpython"}),
    "reason": None,
    "requires": None,
    "limit": None,
    "stdin": None,
}
#: A browser run's time limit in seconds when the fence sets none (docs/assets/runner/runner.js applies it).
DEFAULT_LIMIT_S = 30
MAX_LIMIT_S = 600
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
#: Hex digits of the code's SHA-256 kept in `data-af-id` (48 bits: no collision among a site's examples).
EXAMPLE_ID_DIGITS = 12


def example_id(source: str) -> str:
    """Return the fingerprint of an example's original code (`data-af-id`): the same code, the same id."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:EXAMPLE_ID_DIGITS]


class PyrunOptionError(SuperFencesException):
    """A `pyrun` fence has an unknown option or an invalid value (stops the build with a clear message)."""


class PyrunMetadataError(SuperFencesException):
    """A `pyrun` example's PEP 723 header cannot be computed (e.g. an import requirements.txt does not pin)."""


def _lines(text: str) -> tuple[str, ...]:
    """Text compared line by line, trailing whitespace ignored (an indented fence re-indents blank lines)."""
    return tuple(line.rstrip() for line in text.strip("\n").splitlines())


#: A pymdownx.snippets section marker (`# --8<-- [start:name]`): a whole-file include leaves such lines out.
_SECTION_MARKER = re.compile(r"-+8<-+[ \t]+\[[ \t]*(?:start|end)[ \t]*:[ \t]*[a-z][-_0-9a-z]*[ \t]*\]", re.IGNORECASE)


@cache
def _snippets_by_content(bases: tuple[str, ...]) -> dict[tuple[str, ...], str]:
    """Map the .py files directly in pymdownx.snippets' base paths by content, as included (first base wins)."""
    found: dict[tuple[str, ...], str] = {}
    for base in bases:
        folder = Path(base)
        if folder.is_dir():
            for path in sorted(folder.glob("*.py")):
                text = path.read_text(encoding="utf-8")
                included = "\n".join(line for line in text.splitlines() if not _SECTION_MARKER.search(line))
                found.setdefault(_lines(included), path.name)
    return found


def download_name(source: str, title: str | None, md: Any) -> str:
    """Name the downloaded example's file: stable across builds and independent of its place on the page.

    The snippet's own name when the code is a file in pymdownx.snippets' base paths (every example on the site
    is), else the fence title as a Python identifier, else `example_` and the first 8 hex digits of the code's
    SHA-256.
    """
    snippets = md.preprocessors["snippet"] if "snippet" in md.preprocessors else None  # noqa: SIM401 (a Registry)
    bases = tuple(getattr(snippets, "base_path", ()) or ())
    name = _snippets_by_content(bases).get(_lines(source))
    if name:
        return name
    stem = re.sub(r"\W+", "_", (title or "").removesuffix(".py").lower()).strip("_")
    if stem and not stem[0].isdigit():
        return f"{stem}.py"
    return f"example_{hashlib.sha256(source.encode()).hexdigest()[:8]}.py"


def run_with_cpython(source: str, stdin: str | None = None) -> tuple[str, int]:
    """Run source with the build's CPython; return (stdout and stderr interleaved, exit code). Never raises.

    stdin: a line written to the program's stdin STDIN_DELAY_S seconds after it starts (input() echoes it);
    None: stdin is empty and closed, so a program reading it gets EOF instead of waiting on the build's stdin.
    """
    if stdin is None:
        return _run([sys.executable, "-X", "utf8", "-u", "-c", source], None, {})
    with tempfile.TemporaryDirectory(prefix="asyncfit-stdin-") as folder:
        Path(folder, "sitecustomize.py").write_text(_ECHO_INPUT, encoding="utf-8")
        python_path = os.pathsep.join(p for p in (folder, os.environ.get("PYTHONPATH", "")) if p)
        return _run([sys.executable, "-X", "utf8", "-u", "-c", source], stdin, {"PYTHONPATH": python_path})


def _run(command: list[str], stdin: str | None, env: dict[str, str]) -> tuple[str, int]:
    with subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **env},
    ) as proc:
        deadline = time.monotonic() + BUILD_TIMEOUT_S
        try:
            if stdin is not None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=STDIN_DELAY_S)  # returns early only if the program ended first
            typed = None if stdin is None else stdin.replace("\\n", "\n") + "\n"
            output, _ = proc.communicate(typed, timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return f"(stopped after {BUILD_TIMEOUT_S} s at build time)", -1
    return output, proc.returncode


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
    if "limit" in own:
        limit = own["limit"]
        if not limit.isdigit() or not 1 <= int(limit) <= MAX_LIMIT_S:
            raise PyrunOptionError(f'pyrun fence: limit="{limit}" must be whole seconds from 1 to {MAX_LIMIT_S}')
        if own.get("runs") == "cpython":
            raise PyrunOptionError(f'pyrun fence: limit="{limit}" limits a browser run, but runs="cpython" has none')
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
    filename = download_name(source, highlight_options.get("title"), md)  # before highlight() pops the title
    code = md.preprocessors["fenced_code_block"].highlight(
        src=source,
        language="python",
        options=highlight_options,
        md=md,
        classes=kwargs.get("classes") or [],
        id_value=kwargs.get("id_value", ""),
        attrs=kwargs.get("attrs") or {},
    )
    try:
        script = script_metadata(source, filename, extra=tuple(own.get("requires", "").split()))
    except ScriptMetadataError as error:
        raise PyrunMetadataError(str(error)) from error
    output, code_rc = run_with_cpython(source, own.get("stdin"))
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
    return RunnableBlock(
        runs=runs,
        timeline=own.get("timeline") == "1",
        limit=int(own.get("limit", DEFAULT_LIMIT_S)),
        exit_code=code_rc,
        source=source,
        file=filename,
        pep723=script.header,
        stdin="stdin" in own,
        where=where,
        code=code,
        output_label=output_label,
        output=output,
        after=local_run(filename, script.summary),
    ).render()


@dataclass(frozen=True, kw_only=True)
class RunnableBlock:
    """One `div.af-runnable`: the block the runner (docs/assets/runner/) enhances, whichever fence renders it.

    `render()` is the one place its markup and its `data-af-*` attributes (the runner's contract with it) are
    written: the `pyrun` fence here and the `exercise` fence (exercise.py) both render through it, so an attribute
    added here reaches both. Texts are escaped here; `code` and `after` are HTML.
    """

    # The data-af-* attributes, in the order they are written.
    runs: str = "pyodide"  #: `data-af-runs`: "pyodide" (a Run button) or "cpython" (build-time output only)
    timeline: bool = False  #: `data-af-timeline`: draw the task timeline after a browser run
    limit: int = DEFAULT_LIMIT_S  #: `data-af-limit`: a browser run's time limit in seconds
    exit_code: int  #: `data-af-exit`: the build-time run's exit code
    source: str  #: the original code: `data-af-source`, and its fingerprint `data-af-id`
    file: str | None = None  #: `data-af-file`: the downloaded file's name (no Download .py without it)
    pep723: str | None = None  #: `data-af-pep723`: the downloaded file's PEP 723 header
    stdin: bool = False  #: `data-af-stdin`: the program reads a line, which the reader types
    check: str | None = None  #: `data-af-check`: an exercise's check, run after the program
    helpers: str | None = None  #: `data-af-helpers`: the `exercise` module the worker installs for the check
    # The content, in the order it is shown.
    where: str  #: the label saying where it runs
    code: str  #: the code, highlighted (HTML)
    output_label: str  #: the label of the build-time output
    output: str  #: the build-time output
    after: str = ""  #: HTML ending the block (the pyrun fence's "run it locally" line)

    def render(self) -> str:
        """Return the block's HTML; an attribute whose value is None is left out."""
        data = {
            "data-af-runs": self.runs,
            "data-af-timeline": "1" if self.timeline else "0",
            "data-af-limit": str(self.limit),
            "data-af-exit": str(self.exit_code),
            "data-af-source": self.source,
            "data-af-file": self.file,
            "data-af-pep723": self.pep723,
            "data-af-id": example_id(self.source),
            "data-af-stdin": "1" if self.stdin else None,
            "data-af-check": self.check,
            "data-af-helpers": self.helpers,
        }
        attributes = " ".join(f'{k}="{html.escape(v, quote=True)}"' for k, v in data.items() if v is not None)
        return (
            f'<div class="af-runnable" {attributes}>'
            f'<p class="af-where">{html.escape(self.where)}</p>'
            f"{self.code}"
            f'<p class="af-output-label">{html.escape(self.output_label)}</p>'
            f'<pre class="af-output"><code>{html.escape(self.output)}</code></pre>'
            f"{self.after}"
            "</div>"
        )


def local_run(filename: str, summary: str) -> str:
    """Render the "run it locally" line: the one-line commands and what the file needs.

    Without JavaScript it says to save the code under that name; the runner replaces that part with its
    Download .py button (the downloaded file carries the PEP 723 header, so the command installs what it needs).
    """
    name = html.escape(filename)
    return (
        '<p class="af-local">'
        '<span class="af-local-label">Run it locally:</span> '
        f'<span class="af-local-save">save the code as <code>{name}</code>, then</span> '
        f"<code>uv run {name}</code> or <code>pipx run {name}</code> "
        f'<span class="af-local-needs">({html.escape(summary)})</span>'
        "</p>"
    )
