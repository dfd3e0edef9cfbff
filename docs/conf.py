"""Sphinx configuration of coopflow's documentation site: MyST pages, furo, autodoc.

``make docs`` builds the site into ``build/docs`` with warnings as errors. The pages are the
Markdown files beside this one; pytest runs their ``>>>`` examples as doctests.
"""

import coopflow

project = "coopflow"
author = "The coopflow developers"
copyright = "2026, The coopflow developers"
release = coopflow.__version__
version = release
language = "en"

extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.napoleon"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns: list[str] = []

# MyST: `:::` fences for directives, anchors on headings for links such as [](#hysteresis).
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# The docstrings are Google style; a `name` in backticks refers to a Python object.
napoleon_google_docstring = True
napoleon_numpy_docstring = False
default_role = "py:obj"
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True}

html_theme = "furo"
html_title = f"coopflow {release}"
