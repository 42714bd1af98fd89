"""The reader site: pages, templates, static files."""
