"""Monev SPBE: run the SPBE / Indeks Pemdi evaluation cycle end to end."""

__version__ = "0.1.0"
