"""The production profile from the environment: storage, static files, replica, and a server
that refuses to start with an unsafe or half-made configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dj_database_url
import pytest
from django.core.exceptions import ImproperlyConfigured

from monev.lib import production

S3_ENV = {
    "MONEV_STORAGE": "s3",
    "MONEV_S3_BUCKET": "monev-evidence",
    "MONEV_S3_ENDPOINT_URL": "https://s3.example.go.id",
    "MONEV_S3_REGION": "ap-southeast-3",
    "MONEV_S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
    "MONEV_S3_SECRET_ACCESS_KEY": "secret",
}


def secret_from(env):
    return lambda name: env.get(name)


def test_evidence_is_on_disk_by_default(tmp_path):
    storages = production.storages({}, tmp_path, secret_from({}), debug=False)
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storages["default"]["OPTIONS"]["location"] == tmp_path / "files"


def test_evidence_goes_to_a_private_s3_bucket_on_request(tmp_path):
    storages = production.storages(S3_ENV, tmp_path, secret_from(S3_ENV), debug=False)
    assert storages["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storages["default"]["OPTIONS"]
    assert options["bucket_name"] == "monev-evidence"
    assert options["endpoint_url"] == "https://s3.example.go.id"
    assert options["region_name"] == "ap-southeast-3"
    assert (options["access_key"], options["secret_key"]) == ("AKIAEXAMPLE", "secret")
    # Private objects, no signed links: downloads go through the permission-checked view.
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is False
    assert options["file_overwrite"] is True  # content-addressed names


def test_s3_needs_a_bucket_and_both_halves_of_a_key(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="MONEV_S3_BUCKET"):
        production.storages({"MONEV_STORAGE": "s3"}, tmp_path, secret_from({}), debug=False)
    half = {**S3_ENV, "MONEV_S3_SECRET_ACCESS_KEY": ""}
    with pytest.raises(ImproperlyConfigured, match="both MONEV_S3_ACCESS_KEY_ID"):
        production.storages(half, tmp_path, secret_from(half), debug=False)
    with pytest.raises(ImproperlyConfigured, match="files or s3"):
        production.storages({"MONEV_STORAGE": "ftp"}, tmp_path, secret_from({}), debug=False)


def test_s3_without_keys_uses_the_servers_own_credentials(tmp_path):
    env = {"MONEV_STORAGE": "s3", "MONEV_S3_BUCKET": "b", "MONEV_S3_PATH_STYLE": "true"}
    options = production.storages(env, tmp_path, secret_from(env), debug=False)["default"]
    assert "access_key" not in options["OPTIONS"]
    assert options["OPTIONS"]["addressing_style"] == "path"


def test_static_files_are_hashed_in_production_only(tmp_path):
    def static(env, debug):
        return production.storages(env, tmp_path, secret_from({}), debug=debug)["staticfiles"]

    hashed = "monev.web.static_storage.StaticFilesStorage"
    plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert static({}, debug=False)["BACKEND"] == hashed
    assert static({}, debug=True)["BACKEND"] == plain
    assert static({"PYTEST_VERSION": "9"}, debug=False)["BACKEND"] == plain
    assert static({"MONEV_STATIC_MANIFEST": "false"}, debug=False)["BACKEND"] == plain
    forced = {"PYTEST_VERSION": "9", "MONEV_STATIC_MANIFEST": "true"}
    assert static(forced, debug=False)["BACKEND"] == hashed


def production_settings(**overrides) -> dict:
    values = {
        "DEBUG": False,
        "ALLOWED_HOSTS": ["monev.example.go.id"],
        "SECRET_KEY": "k" * 50,
        "CSRF_TRUSTED_ORIGINS": ["https://monev.example.go.id"],
        "HTTPS": True,
        "MONEV_BASE_URL": "https://monev.example.go.id",
    }
    return {**values, **overrides}


def test_a_sound_production_configuration_passes():
    production.check_production(production_settings())


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ALLOWED_HOSTS": ["*"]}, "MONEV_ALLOWED_HOSTS must name"),
        ({"ALLOWED_HOSTS": []}, "MONEV_ALLOWED_HOSTS must name"),
        ({"SECRET_KEY": "short"}, "MONEV_SECRET_KEY is too short"),
        ({"CSRF_TRUSTED_ORIGINS": ["monev.example.go.id"]}, "need a scheme"),
        ({"CSRF_TRUSTED_ORIGINS": ["http://monev.example.go.id"]}, "http:// origins"),
        ({"MONEV_BASE_URL": "http://monev.example.go.id"}, "MONEV_BASE_URL"),
    ],
)
def test_production_refuses_an_unsafe_configuration(overrides, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        production.check_production(production_settings(**overrides))


def test_debug_is_not_checked():
    production.check_production(production_settings(DEBUG=True, ALLOWED_HOSTS=["*"]))


def test_the_replica_is_a_second_postgresql_database_mirrored_in_tests():
    primary = dj_database_url.parse("postgres://monev@db1/monev", conn_max_age=60)
    env = {"MONEV_DATABASE_REPLICA_URL": "postgres://monev_ro@db2/monev"}
    replica = production.replica_database(env, primary, dj_database_url.parse)
    assert replica["HOST"] == "db2"
    assert replica["CONN_MAX_AGE"] == 60
    assert replica["TEST"] == {"MIRROR": "default"}
    assert production.replica_database({}, primary, dj_database_url.parse) is None
    sqlite = {"MONEV_DATABASE_REPLICA_URL": "sqlite:////tmp/x.sqlite3"}
    with pytest.raises(ImproperlyConfigured, match="PostgreSQL replica"):
        production.replica_database(sqlite, primary, dj_database_url.parse)


def settings_in_a_fresh_process(tmp_path: Path, **env) -> subprocess.CompletedProcess:
    """Import the settings as a server would, with only the given MONEV_ variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MONEV_", "DATABASE_URL"))}
    clean.update(MONEV_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="monev.settings", **env)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.STORAGES['default']['BACKEND'])"
    )
    return subprocess.run(  # noqa: S603 - our interpreter, our code
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=120
    )


def test_the_server_will_not_start_answering_any_host_name(tmp_path):
    result = settings_in_a_fresh_process(tmp_path, MONEV_ALLOWED_HOSTS="*")
    assert result.returncode != 0
    assert "will not start in production" in result.stderr
    assert "MONEV_ALLOWED_HOSTS must name" in result.stderr


def test_the_settings_choose_s3_from_the_environment(tmp_path):
    result = settings_in_a_fresh_process(tmp_path, **S3_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "storages.backends.s3.S3Storage"
