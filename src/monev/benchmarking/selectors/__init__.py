"""Reads of the evaluator's view of many institutions, shared by the pages and the API: one
module per page (progress, rankings, distributions, peers). Who sees what: docs/evaluator.md,
"Who sees what in the round pages". Each read is a fixed number of queries (tests/benchmarking)."""

from monev.benchmarking.selectors.distributions import distribution
from monev.benchmarking.selectors.peer_comparison import MIN_PEERS, peers
from monev.benchmarking.selectors.rankings import ranking
from monev.benchmarking.selectors.round_progress import PROGRESS_STAGES, progress
from monev.benchmarking.selectors.rounds import KINDS

__all__ = ["KINDS", "MIN_PEERS", "PROGRESS_STAGES", "distribution", "peers", "progress", "ranking"]
