"""One module per ``signage`` sub-command; each exposes ``add_parser`` and ``run``."""
