"""The evaluator's view of many institutions: progress of the whole evaluation, national and
regional rankings and distributions, one institution against its peers, and the published
results of past years as benchmark data. Scores are the engine's, stored per period
(`PeriodScore`) and checked against a stamp of their inputs on every read (docs/evaluator.md)."""
