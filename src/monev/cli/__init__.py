"""The `monev` console command: its own pure commands, and Django's management commands."""
