"""The pyrun fence at build time: options are validated, markup carries what the browser runner needs."""

from __future__ import annotations

import html
import re

import markdown
import pytest
from asyncfit_docs.runnable import PyrunMetadataError, PyrunOptionError, check_options, format_fence, validate


def _render(text: str) -> str:
    md = markdown.Markdown(
        extensions=["pymdownx.highlight", "pymdownx.superfences"],
        extension_configs={
            "pymdownx.superfences": {
                "custom_fences": [{"name": "pyrun", "class": "pyrun", "validator": validate, "format": format_fence}]
            }
        },
    )
    return md.convert(text)


def _attr(rendered: str, name: str) -> str:
    match = re.search(rf'{name}="([^"]*)"', rendered)
    assert match, f"{name} missing"
    return html.unescape(match.group(1))


def test_plain_fence_renders_code_label_and_build_time_output() -> None:
    out = _render('```pyrun\nprint("<b>hi</b>")\n```\n')
    assert 'class="af-runnable"' in out
    assert _attr(out, "data-af-runs") == "pyodide"
    assert _attr(out, "data-af-timeline") == "0"
    assert _attr(out, "data-af-source") == 'print("<b>hi</b>")'
    assert "Runnable in your browser" in out
    assert "Output at build time (CPython 3." in out
    assert "&lt;b&gt;hi&lt;/b&gt;" in out  # program output is escaped
    assert "<b>hi</b>" not in out


def test_time_limit_defaults_to_30_s_and_a_fence_can_set_its_own() -> None:
    assert _attr(_render("```pyrun\nprint(1)\n```\n"), "data-af-limit") == "30"
    assert _attr(_render('```pyrun limit="3"\nprint(1)\n```\n'), "data-af-limit") == "3"


def test_timeline_option_is_passed_to_the_browser() -> None:
    out = _render('```pyrun timeline="1"\nprint(1)\n```\n')
    assert _attr(out, "data-af-timeline") == "1"


def test_cpython_only_fence_is_labelled_with_its_reason() -> None:
    out = _render('```pyrun runs="cpython" reason="it starts threads"\nprint(2)\n```\n')
    assert _attr(out, "data-af-runs") == "cpython"
    assert "CPython only, because it starts threads." in out
    keyed = _render('```pyrun runs="cpython" reason="threads"\nprint(2)\n```\n')
    assert "CPython only, because it starts real OS threads, which Python in the browser (Pyodide) cannot" in keyed


def test_failing_example_reports_its_exit_code_and_traceback() -> None:
    out = _render('```pyrun\nraise ValueError("boom")\n```\n')
    assert _attr(out, "data-af-exit") == "1"
    assert "exit code 1" in out
    assert "ValueError: boom" in out


def test_highlight_options_still_work() -> None:
    out = _render('```pyrun title="demo.py" hl_lines="1"\nprint(1)\n```\n')
    assert "demo.py" in out
    assert 'class="hll"' in out


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('timelin="1"', 'unknown option timelin="1"'),
        ('timeline="yes"', 'timeline="yes" must be one of "0", "1"'),
        ('runs="browser"', 'runs="browser" must be one of "cpython", "pyodide"'),
        ('reason="x"', 'reason="..." only makes sense with runs="cpython"'),
        ('runs="cpython" reason="threads" timeline="1"', 'timeline="1" needs a browser run'),
        ('runs="cpython"', 'runs="cpython" needs reason="..." saying why'),
        ('limit="0"', 'limit="0" must be whole seconds from 1 to 600'),
        ('limit="2.5"', 'limit="2.5" must be whole seconds from 1 to 600'),
        ('runs="cpython" reason="threads" limit="5"', 'limit="5" limits a browser run'),
    ],
)
def test_invalid_options_stop_the_build_with_a_clear_message(line: str, message: str) -> None:
    with pytest.raises(PyrunOptionError) as excinfo:
        _render(f"```pyrun {line}\nprint(1)\n```\n")
    assert "pyrun fence" in str(excinfo.value)
    assert message in str(excinfo.value)


def test_check_options_returns_only_the_fences_own_options() -> None:
    assert check_options({"title": "t", "runs": "cpython", "reason": "sockets"}) == {
        "runs": "cpython",
        "reason": "sockets",
    }


def test_every_example_carries_its_download_name_header_and_local_command() -> None:
    source = "import anyio\nprint(anyio.__name__)\n"
    out = _render(f'```pyrun runs="cpython" reason="sockets" title="Fan out"\n{source}```\n')
    assert _attr(out, "data-af-file") == "fan_out.py"  # no snippet here: named after the title
    header = _attr(out, "data-af-pep723")
    assert header.startswith('# /// script\n# requires-python = ">=3.11"\n')
    assert '#     "anyio==4.16.0",\n' in header
    assert "<code>uv run fan_out.py</code>" in out
    assert "<code>pipx run fan_out.py</code>" in out
    assert "save the code as <code>fan_out.py</code>" in out  # the no-JavaScript advice
    untitled = _render("```pyrun\nprint(1)\n```\n")
    assert re.fullmatch(r"example_[0-9a-f]{8}\.py", _attr(untitled, "data-af-file"))


def test_requires_option_adds_pinned_distributions_the_code_does_not_import() -> None:
    out = _render('```pyrun runs="cpython" reason="threads" requires="blockbuster"\nprint(1)\n```\n')
    assert '#     "blockbuster==1.5.29",\n' in _attr(out, "data-af-pep723")


def test_an_import_requirements_txt_does_not_pin_stops_the_build_naming_the_example() -> None:
    with pytest.raises(PyrunMetadataError, match=r"example my_demo\.py: .*no_such_module_af"):
        _render('```pyrun title="My demo"\nimport no_such_module_af\n```\n')
    with pytest.raises(PyrunMetadataError, match=r'requires="not-pinned-af", which requirements\.txt does not pin'):
        _render('```pyrun runs="cpython" reason="threads" requires="not-pinned-af"\nprint(1)\n```\n')


def test_example_id_is_a_fingerprint_of_the_original_code() -> None:
    """Saved edits and share links are keyed on it: same code, same id; changed code, another id."""
    first = _attr(_render("```pyrun\nprint(1)\n```\n"), "data-af-id")
    assert re.fullmatch(r"[0-9a-f]{12}", first)
    assert _attr(_render("```pyrun\nprint(1)\n```\n"), "data-af-id") == first
    assert _attr(_render("```pyrun\nprint(2)\n```\n"), "data-af-id") != first
