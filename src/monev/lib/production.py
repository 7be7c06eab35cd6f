"""The parts of the settings that differ between a laptop and a production server, read from the
environment: where evidence is stored, the read replica, and the checks that stop a production
server (MONEV_DEBUG off) from starting with a configuration that would be unsafe or would fail
later in a confusing way.

Kept out of settings.py so that they can be tested as functions of an environment.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from monev.lib.environment import envbool

Secret = Callable[[str], "str | None"]


def storages(env: Mapping[str, str], data_dir: Path, secret: Secret, *, debug: bool) -> dict:
    """STORAGES: evidence on the local disk (MONEV_STORAGE=files, the default) or in an
    S3-compatible bucket (MONEV_STORAGE=s3); static files hashed and compressed for
    WhiteNoise except in debug, where the development server serves them as they are."""
    kind = (env.get("MONEV_STORAGE") or "files").strip().lower()
    if kind == "files":
        default = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": data_dir / "files"},
        }
    elif kind == "s3":
        default = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_options(env, secret)}
    else:
        raise ImproperlyConfigured(f"MONEV_STORAGE must be files or s3, not {kind!r}")
    static = (
        "monev.web.static_storage.StaticFilesStorage"
        if static_manifest(env, debug=debug)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    return {"default": default, "staticfiles": {"BACKEND": static}}


def static_manifest(env: Mapping[str, str], *, debug: bool) -> bool:
    """Whether static files are served under content-hashed names (cached for a year), which
    needs `monev collectstatic` to have run. Not in debug and not under pytest (pytest sets
    PYTEST_VERSION), where files are served as they are; MONEV_STATIC_MANIFEST overrides."""
    return envbool("MONEV_STATIC_MANIFEST", not debug and "PYTEST_VERSION" not in env, env)


def s3_options(env: Mapping[str, str], secret: Secret) -> dict:
    """django-storages S3Storage options. Objects are private: every download goes through the
    application's permission-checked view, so no public or pre-signed URL is ever handed out."""
    bucket = env.get("MONEV_S3_BUCKET", "").strip()
    if not bucket:
        raise ImproperlyConfigured("MONEV_STORAGE=s3 needs MONEV_S3_BUCKET (the bucket's name)")
    options = {
        "bucket_name": bucket,
        "default_acl": "private",
        "querystring_auth": False,
        # Content-addressed names (evidence/ab/cd/<sha256>): the same name is the same bytes,
        # so writing it again is harmless and no "_x7Yz" suffix is ever invented.
        "file_overwrite": True,
        # A download is read from S3 into a temporary file in the data directory beyond this
        # size, instead of memory (django-storages' default keeps it all in memory).
        "max_memory_size": 2 * 1024 * 1024,
        "location": env.get("MONEV_S3_PREFIX", "").strip().strip("/"),
    }
    endpoint = env.get("MONEV_S3_ENDPOINT_URL", "").strip()
    if endpoint:
        options["endpoint_url"] = endpoint
    region = env.get("MONEV_S3_REGION", "").strip()
    if region:
        options["region_name"] = region
    key_id = env.get("MONEV_S3_ACCESS_KEY_ID", "").strip()
    key = secret("MONEV_S3_SECRET_ACCESS_KEY")
    if bool(key_id) != bool(key):
        raise ImproperlyConfigured(
            "Set both MONEV_S3_ACCESS_KEY_ID and MONEV_S3_SECRET_ACCESS_KEY(_FILE), or neither "
            "(then the server's instance role or ~/.aws credentials are used)"
        )
    if key_id:
        options["access_key"] = key_id
        options["secret_key"] = key
    if envbool("MONEV_S3_PATH_STYLE", False, env):  # MinIO and other self-hosted servers
        options["addressing_style"] = "path"
    return options


def replica_database(env: Mapping[str, str], primary: dict, parse: Callable) -> dict | None:
    """The read replica's DATABASES entry from MONEV_DATABASE_REPLICA_URL, or None."""
    url = env.get("MONEV_DATABASE_REPLICA_URL", "").strip()
    if not url:
        return None
    try:
        config = parse(url, conn_max_age=primary.get("CONN_MAX_AGE", 0))
    except ValueError as error:
        raise ImproperlyConfigured(f"MONEV_DATABASE_REPLICA_URL is not usable: {error}") from None
    if config["ENGINE"] != primary["ENGINE"] or "postgresql" not in config["ENGINE"]:
        raise ImproperlyConfigured(
            "MONEV_DATABASE_REPLICA_URL must be a PostgreSQL replica of DATABASE_URL's PostgreSQL"
        )
    # In tests the replica is the primary (Django's TEST MIRROR): no second test database.
    config["TEST"] = {"MIRROR": "default"}
    return config


def check_production(settings: Mapping) -> None:
    """Refuse to start a production server (DEBUG off) whose configuration is unsafe or
    incomplete where it matters. Debug (the development server, tests) is not checked."""
    if settings["DEBUG"]:
        return
    problems = []
    hosts = settings["ALLOWED_HOSTS"]
    if not hosts or "*" in hosts:
        problems.append(
            "MONEV_ALLOWED_HOSTS must name the host names the server answers to "
            "(e.g. monev.example.go.id), not be empty or '*'"
        )
    if len(settings["SECRET_KEY"]) < 32:
        problems.append("MONEV_SECRET_KEY is too short: use at least 32 random characters")
    for origin in settings["CSRF_TRUSTED_ORIGINS"]:
        if "://" not in origin:
            problems.append(
                f"MONEV_CSRF_TRUSTED_ORIGINS entries need a scheme: https://{origin}, not {origin}"
            )
    if settings["HTTPS"]:
        insecure = [o for o in settings["CSRF_TRUSTED_ORIGINS"] if o.startswith("http://")]
        if insecure:
            problems.append(
                "MONEV_HTTPS=true but MONEV_CSRF_TRUSTED_ORIGINS has http:// origins: "
                + ", ".join(insecure)
            )
        if not settings["MONEV_BASE_URL"].startswith("https://"):
            problems.append("MONEV_HTTPS=true but MONEV_BASE_URL is not an https:// address")
    if problems:
        raise ImproperlyConfigured(
            "Monev SPBE will not start in production (MONEV_DEBUG=false) with this "
            "configuration:\n- " + "\n- ".join(problems)
        )
