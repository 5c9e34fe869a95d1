"""One module per area of the web app; each exposes ``ROUTES``, a list of Starlette routes."""
