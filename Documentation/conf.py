# SPDX-License-Identifier: GPL-2.0
#
# Sphinx configuration of binfmt_rs's documentation: `make htmldocs` renders it into
# build/htmldocs with warnings as errors, as the kernel's `make htmldocs` does for
# Documentation/.

project = "binfmt_rs"
copyright = "binfmt_rs authors, GPL-2.0"
master_doc = "index"
exclude_patterns = ["_build"]
# The kernel's documentation style: plain text blocks unless a language is named.
highlight_language = "none"
html_theme = "alabaster"
html_theme_options = {"page_width": "1100px", "show_relbars": True}
html_show_sourcelink = False
