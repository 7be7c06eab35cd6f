"""Developer tools run from the repository (`python -m tools.NAME`); not part of the
installed application."""
