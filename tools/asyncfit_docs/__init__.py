"""Build-time glue for the asyncfit site: Python-Markdown extensions and markdown-exec helpers.

Everything here runs inside `mkdocs build` (and `zensical build`), never in the browser.
"""
