"""Imports from Excel and CSV: validated row by row, previewed, written all-or-nothing."""
