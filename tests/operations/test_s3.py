"""Backups read evidence through the storage API, so S3-compatible object storage works too:
a round trip from one bucket to another (moto's S3 server over HTTP on the loopback), and
`monev check` on a bucket."""

from __future__ import annotations

from io import StringIO

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from moto.server import ThreadedMotoServer
from operations_support import upload

from monev.lib import production

pytestmark = pytest.mark.django_db(transaction=True)

CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def s3_env(endpoint: str, bucket: str) -> dict[str, str]:
    return {
        "MONEV_STORAGE": "s3",
        "MONEV_S3_BUCKET": bucket,
        "MONEV_S3_ENDPOINT_URL": endpoint,
        "MONEV_S3_REGION": "us-east-1",
        "MONEV_S3_ACCESS_KEY_ID": "testing",
        "MONEV_S3_SECRET_ACCESS_KEY": "testing",
    }


@pytest.fixture
def buckets(s3_server):
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", **CREDENTIALS)
    made = []

    def make(name: str) -> str:
        client.create_bucket(Bucket=name)
        made.append(name)
        return name

    yield client, make
    for name in made:
        for item in client.list_objects_v2(Bucket=name).get("Contents", []):
            client.delete_object(Bucket=name, Key=item["Key"])
        client.delete_bucket(Bucket=name)


@pytest.fixture
def on_s3(s3_server, buckets, settings, tmp_path):
    _client, make = buckets
    env = s3_env(s3_server, make("monev-source"))
    storages = production.storages(env, tmp_path, env.get, debug=False)
    settings.STORAGES = {**settings.STORAGES, "default": storages["default"]}
    return env


def objects(client, bucket: str) -> dict[str, bytes]:
    listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {
        item["Key"]: client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
        for item in listed
    }


def test_a_backup_from_one_bucket_restores_into_another(
    on_s3, world, s3_server, buckets, tmp_path, deployments
):
    client, make = buckets
    upload(world, "good.pdf")
    upload(world, "good.png")
    archive = tmp_path / "s3.tar"
    call_command("backup", out=str(archive), stdout=StringIO())
    target = deployments.make()
    target.extra_env = s3_env(s3_server, make("monev-restored"))

    result = target.run("restore", str(archive))

    assert result.returncode == 0, result.stderr
    assert "Every file matches the manifest and its row (2 checked)" in result.stdout
    restored = objects(client, "monev-restored")
    assert len(restored) == 2
    assert restored == objects(client, "monev-source")


def test_check_reads_every_object_in_the_bucket(on_s3, world):
    files = [upload(world, name).versions.get().file for name in ("good.pdf", "good.png")]
    default_storage.delete(files[0].storage_name)

    err = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("check", "--integrity-only", stdout=StringIO(), stderr=err)
    assert f"MISSING  {files[0].storage_name}" in err.getvalue()
