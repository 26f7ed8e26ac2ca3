"""'Download .py' (issue 13, "Run it locally"): every example's file carries a valid PEP 723 header and runs.

- Every `pyrun` example in the built site: its file (header + code, as the runner assembles it) has exactly one
  `script` block by PEP 723's reference regular expression, that block is TOML, names `requires-python` and pins
  each dependency to the version requirements.txt pins.
- The files that declare dependencies run under the venv's CPython, and what they import at run time (beyond the
  standard library) is exactly their declared distributions and what those depend on: the header is complete.
  Stdlib-only files differ from their snippet by comment lines alone, and tests/test_snippets.py runs every
  snippet, so one stands in for them here.
- In Chromium: "Download .py" on a CPython-only example and on a Pyodide one, edited first, saves that code with
  the header; the saved file runs.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from asyncfit_docs.pep723 import ScriptMetadataError, normalize, pinned_versions, script_metadata
from playwright.sync_api import Page, expect

from tests.conftest import BuiltSite
from tests.test_quality_a11y import hold_pyodide

ROOT = Path(__file__).resolve().parent.parent
RUN_TIMEOUT_S = 120  # generous: shared machines
# PEP 723's reference implementation (https://peps.python.org/pep-0723/#reference-implementation), verbatim.
PEP723_REGEX = r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$"
STDLIB_STAND_IN = "hello_gather.py"


def read_pep723(script: str) -> dict | None:
    """PEP 723's reference reader: the `script` block's TOML, None without one, ValueError for several."""
    name = "script"
    matches = [m for m in re.finditer(PEP723_REGEX, script) if m.group("type") == name]
    if len(matches) > 1:
        raise ValueError(f"Multiple {name} blocks found")
    if len(matches) == 1:
        content = "".join(
            line[2:] if line.startswith("# ") else line[1:]
            for line in matches[0].group("content").splitlines(keepends=True)
        )
        return tomllib.loads(content)
    return None


@dataclass(frozen=True)
class Download:
    """One example's downloadable file, as the built markup describes it."""

    page: str
    name: str
    runs: str
    header: str
    source: str

    @property
    def text(self) -> str:
        """The file runner.js saves for the unedited example (downloadText: header, blank line, code)."""
        return f"{self.header}\n{self.source.rstrip(chr(10))}\n"


# The fence escapes attribute values (html.escape, quote=True): no raw ">" or '"' inside a start tag's values.
_RUNNABLE = re.compile(r'<div class="af-runnable"([^>]*)>')
_ATTRIBUTE = re.compile(r'(data-af-[a-z0-9-]+)="([^"]*)"')


def downloads(site: Path) -> list[Download]:
    """Every pyrun example of the built site, page by page."""
    found: list[Download] = []
    for html_file in sorted(site.rglob("index.html")):
        if "vendor" in html_file.parts:
            continue
        text = html_file.read_text(encoding="utf-8")
        page = html_file.parent.relative_to(site).as_posix()
        examples = [
            {key: html.unescape(value) for key, value in _ATTRIBUTE.findall(tag)} for tag in _RUNNABLE.findall(text)
        ]
        # An exercise's starting code imports the `exercise` helpers, which only the worker provides: it offers no
        # download (tools/asyncfit_docs/exercise.py).
        examples = [example for example in examples if "data-af-check" not in example]
        lines = text.count('<p class="af-local">')
        assert lines == len(examples), f"/{page}: {len(examples)} examples but {lines} 'Run it locally' lines"
        found += [
            Download(page, v["data-af-file"], v["data-af-runs"], v["data-af-pep723"], v["data-af-source"])
            for v in examples
        ]
    return found


def by_name(site: Path) -> dict[str, Download]:
    """One Download per file name; the same name always means the same code and header."""
    result: dict[str, Download] = {}
    for item in downloads(site):
        seen = result.setdefault(item.name, item)
        assert (seen.source, seen.header) == (item.source, item.header), f"{item.name} differs on /{item.page}"
    return result


def check_header(item: Download) -> dict:
    """Parse the file's header as PEP 723 says a tool must; check its keys and pins; return it."""
    meta = read_pep723(item.text)
    assert meta is not None, f"{item.name} (/{item.page}): no PEP 723 script block"
    assert set(meta) == {"requires-python", "dependencies"}, meta
    assert re.fullmatch(r">=3\.\d+", meta["requires-python"]), meta
    pins = pinned_versions()
    for dep in meta["dependencies"]:
        name, _, version = dep.partition("==")
        assert pins.get(normalize(name)) == (name, version), f"{item.name}: {dep} is not requirements.txt's pin"
    return meta


def test_every_example_has_a_valid_pinned_header_and_a_stable_snippet_name(built_site: BuiltSite) -> None:
    items = downloads(built_site.path)
    assert len(items) > 40  # every example of the site, not a handful
    names = by_name(built_site.path)
    snippets = {p.name for p in (ROOT / "snippets").glob("*.py")}
    assert set(names) <= snippets, f"named after no snippet: {sorted(set(names) - snippets)}"
    metas = {name: check_header(item) for name, item in names.items()}
    assert {item.runs for item in items} == {"pyodide", "cpython"}
    # CPython-only examples are downloadable too, and third-party imports are declared.
    assert metas["anyio_limiter.py"]["dependencies"] == ["anyio==4.16.0"]
    assert metas["starlette_def_vs_async.py"]["dependencies"] == ["httpx2==2.16.2", "starlette==1.10.0"]
    assert metas["hello_gather.py"] == {"requires-python": ">=3.11", "dependencies": []}


# What a run imported: the file runs as __main__, then the top-level names in sys.modules are written out.
# Modules loaded before the file runs (interpreter start-up, .pth hooks of this venv) are left out.
_RECORDER = """
import json, runpy, sys
before = set(sys.modules)
try:
    runpy.run_path(sys.argv[1], run_name="__main__")
finally:
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        json.dump(sorted({name.split(".")[0] for name in set(sys.modules) - before}), out)
"""


def _closure(distributions: set[str]) -> set[str]:
    """The distributions and everything they require (installed ones; extras' markers evaluated as absent)."""
    seen: set[str] = set()
    todo = [normalize(d) for d in distributions]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for requirement in metadata.requires(name) or []:
            if "extra ==" in requirement:
                continue
            required = normalize(re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0])
            try:
                metadata.distribution(required)
            except metadata.PackageNotFoundError:
                continue  # an environment marker excluded it here (e.g. a backport for older Pythons)
            todo.append(required)
    return seen


def _pytest_plugins(distributions: set[str]) -> str:
    """The pytest plugins (entry points, group pytest11) those distributions install, for PYTEST_PLUGINS."""
    return ",".join(
        sorted(
            ep.value.split(":")[0]
            for ep in metadata.entry_points(group="pytest11")
            if ep.dist is not None and normalize(ep.dist.name) in distributions
        )
    )


def _run(item: Download, folder: Path) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run the file as a reader's `uv run` would, as far as this venv allows; return it and what it imported.

    This venv holds more than the file declares. Python-level imports are checked afterwards; pytest plugins,
    which load without an import in the file, are limited to those of the declared distributions.
    """
    declared = _closure({dep.partition("==")[0] for dep in read_pep723(item.text)["dependencies"]})  # type: ignore[index]
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTEST_PLUGINS": _pytest_plugins(declared)}
    path = folder / item.name
    path.write_text(item.text, encoding="utf-8")
    record = folder / f"{item.name}.modules.json"
    proc = subprocess.run(
        [sys.executable, "-X", "utf8", "-c", _RECORDER, str(path), str(record)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    providers = metadata.packages_distributions()
    modules = json.loads(record.read_text(encoding="utf-8")) if record.exists() else []
    loaded = {
        normalize(dist)
        for module in modules
        if module not in sys.stdlib_module_names
        for dist in providers.get(module, [])
    }
    return proc, loaded


def test_downloaded_files_with_dependencies_run_and_declare_what_they_import(
    built_site: BuiltSite, tmp_path: Path
) -> None:
    names = by_name(built_site.path)
    chosen = [item for item in names.values() if read_pep723(item.text)["dependencies"]]  # type: ignore[index]
    chosen.append(names[STDLIB_STAND_IN])
    runnable = []
    for item in chosen:
        needed = tuple(int(part) for part in read_pep723(item.text)["requires-python"][2:].split("."))  # type: ignore[index]
        if sys.version_info < needed:
            continue  # cannot run here; the header's own check above still covers it
        runnable.append(item)
    assert len(runnable) >= 10
    with ThreadPoolExecutor(max_workers=4) as pool:  # the programs mostly wait (servers, sleeps): 4 at once
        results = list(pool.map(lambda item: (item, *_run(item, tmp_path)), runnable))
    problems = []
    for item, proc, loaded in results:
        if proc.returncode != 0:
            problems.append(f"{item.name} exited with {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
            continue
        declared = {normalize(dep.partition("==")[0]) for dep in read_pep723(item.text)["dependencies"]}  # type: ignore[index]
        if not declared <= loaded:
            problems.append(f"{item.name} declares {sorted(declared - loaded)} but never imports them")
        if not loaded <= _closure(declared):
            problems.append(f"{item.name} imports {sorted(loaded - _closure(declared))}, which its header omits")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------------------------
# The header computation itself (no build)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import asyncio\nasyncio.run(asyncio.sleep(0))\n", ">=3.11"),
        (
            "import asyncio\nloop = asyncio.new_event_loop()\nloop.set_task_factory(asyncio.eager_task_factory)\n",
            ">=3.12",
        ),
        ("from asyncio import eager_task_factory as eager\n", ">=3.12"),
        ("import os\nprint(os.process_cpu_count())\n", ">=3.13"),
        ('import os\nif hasattr(os, "process_cpu_count"):\n    print(os.process_cpu_count())\n', ">=3.11"),
        ("from concurrent.futures import ProcessPoolExecutor\nProcessPoolExecutor().terminate_workers()\n", ">=3.14"),
    ],
    ids=[
        "baseline",
        "eager-task-factory",
        "from-import-alias",
        "process-cpu-count",
        "feature-detected",
        "pool-terminate",
    ],
)
def test_minimum_python_follows_the_newest_api_used(source: str, expected: str) -> None:
    assert script_metadata(source, "x.py").requires_python == expected


def test_header_is_pep723_with_sorted_pins() -> None:
    meta = script_metadata("import starlette\nimport anyio.to_thread\nimport json\n", "demo.py")
    assert meta.dependencies == ("anyio==4.16.0", "starlette==1.10.0")
    assert meta.header == (
        '# /// script\n# requires-python = ">=3.11"\n# dependencies = [\n'
        '#     "anyio==4.16.0",\n#     "starlette==1.10.0",\n# ]\n# ///\n'
    )
    assert read_pep723(meta.header) == {
        "requires-python": ">=3.11",
        "dependencies": ["anyio==4.16.0", "starlette==1.10.0"],
    }


def test_an_unmapped_or_unpinned_import_is_an_error_naming_the_example() -> None:
    with pytest.raises(ScriptMetadataError, match=r"example demo\.py: .*`import no_such_module_af`"):
        script_metadata("import no_such_module_af\n", "demo.py")
    unpinned = next(
        (
            module
            for module, dists in sorted(metadata.packages_distributions().items())
            if module.isidentifier()
            and module not in sys.stdlib_module_names
            and all(normalize(d) not in pinned_versions() for d in dists)
            and len(set(dists)) == 1
        ),
        None,
    )
    assert unpinned, "every installed distribution is pinned: nothing to test with"
    with pytest.raises(ScriptMetadataError, match=r"example demo\.py: .*requirements\.txt does not pin"):
        script_metadata(f"import {unpinned}\n", "demo.py")


# ---------------------------------------------------------------------------------------------------------------
# In Chromium: the button saves the code shown (edited or not) with the header


def download(page: Page, example: object, folder: Path) -> Path:
    """Click the example's Download .py; return the saved file."""
    button = example.get_by_role("button", name="Download .py")  # type: ignore[attr-defined]
    with page.expect_download() as info:
        button.click()
    saved = info.value
    target = folder / saved.suggested_filename
    saved.save_as(target)
    return target


def run_file(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-X", "utf8", str(path)],
        cwd=path.parent,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )


@pytest.mark.mkdocs_only(reason="same runner.js and markup under both engines; the Pyodide test runs under both")
def test_download_of_a_cpython_only_example_runs_with_its_header(page: Page, site_url: str, tmp_path: Path) -> None:
    page.goto(site_url + "escape-hatches/")
    example = page.locator('div.af-runnable[data-af-file="anyio_limiter.py"]')
    expect(example.locator(".af-local")).to_contain_text("uv run anyio_limiter.py")
    expect(example.locator(".af-local-save")).to_have_count(0)  # the no-JS advice gave way to the button
    saved = download(page, example, tmp_path)
    assert saved.name == "anyio_limiter.py"
    text = saved.read_text(encoding="utf-8")
    assert read_pep723(text) == {"requires-python": ">=3.11", "dependencies": ["anyio==4.16.0"]}
    proc = run_file(saved)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == example.locator(".af-output code").text_content()  # the build-time output, again
    assert page.console_errors == []  # type: ignore[attr-defined]  (the CSP allowed the blob download)


def test_download_of_a_pyodide_example_saves_the_edited_code(page: Page, site_url: str, tmp_path: Path) -> None:
    hold_pyodide(page.context)  # editing needs no Python: keep the 2 cores free
    page.goto(site_url + "how-async-works/")
    example = page.locator(f'div.af-runnable.af-enhanced[data-af-file="{STDLIB_STAND_IN}"]')
    original = download(page, example, tmp_path / "original")  # no editor opened yet: the code as built
    assert original.read_text(encoding="utf-8").endswith(example.get_attribute("data-af-source").rstrip("\n") + "\n")  # type: ignore[union-attr]
    example.locator(".af-static-code").click()  # a click on the code opens its editor, focused
    expect(example.locator("textarea.ace_text-input")).to_be_focused()
    page.keyboard.press("Control+End")
    page.keyboard.type('\nprint("edited in the browser")')
    edited = download(page, example, tmp_path / "edited")
    text = edited.read_text(encoding="utf-8")
    assert read_pep723(text) == {"requires-python": ">=3.11", "dependencies": []}
    proc = run_file(edited)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().endswith("edited in the browser")
    assert page.console_errors == []  # type: ignore[attr-defined]
