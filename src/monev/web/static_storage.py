"""Static files under content-hashed names, compressed, for WhiteNoise to serve with a one-year
cache lifetime (`monev collectstatic` writes them)."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    """Django rewrites `sourceMappingURL` comments to hashed names and fails when the map is
    not there; vendored minified libraries ship without their maps (they are for debugging)."""
    kept = []
    for extension, rules in patterns:
        rules = tuple(
            rule
            for rule in rules
            if "sourceMappingURL" not in (rule if isinstance(rule, str) else rule[0])
        )
        if rules:
            kept.append((extension, rules))
    return tuple(kept)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
