"""The pure core: instrument files, their validation, and the scoring engine.

Nothing in this package imports Django; the web app, the API and the CLI all call it.
Scores are exact: inputs and outputs are Decimal, and the weighted means in between are
computed as exact rationals (see numbers.py for why).
"""
