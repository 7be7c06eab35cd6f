"""Operating a deployment: `monev backup`, `monev restore` and `monev check` (integrity)."""
