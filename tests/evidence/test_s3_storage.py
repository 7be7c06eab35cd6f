"""Evidence on S3-compatible object storage (MONEV_STORAGE=s3): uploads through the service
and the page, downloads back through the permission-checked view, text extraction, readiness —
against moto's S3 server over real HTTP on the loopback interface."""

from __future__ import annotations

import hashlib
import json
from urllib.parse import quote, urlencode

import boto3
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from moto.server import ThreadedMotoServer
from views_support import file, fixture_bytes, make_evidence, upload_url

from monev.evidence import services
from monev.evidence.models import Evidence, FileText
from monev.evidence.storage import blob_name
from monev.evidence.text_indexing import file_text_extract
from monev.lib import production

pytestmark = pytest.mark.django_db

BUCKET = "monev-evidence"


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, settings, tmp_path):
    """Settings as MONEV_STORAGE=s3 makes them, pointing at a fresh bucket."""
    env = {
        "MONEV_STORAGE": "s3",
        "MONEV_S3_BUCKET": BUCKET,
        "MONEV_S3_ENDPOINT_URL": s3_server,
        "MONEV_S3_REGION": "us-east-1",
        "MONEV_S3_ACCESS_KEY_ID": "testing",
        "MONEV_S3_SECRET_ACCESS_KEY": "testing",
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    storages = production.storages(env, tmp_path, env.get, debug=False)
    settings.STORAGES = {**settings.STORAGES, "default": storages["default"]}
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def download(client, evidence: Evidence):
    version = evidence.versions.get()
    return client.get(reverse("evidence:download", args=[version.pk]))


def test_evidence_uploaded_through_the_service_is_a_private_object_in_the_bucket(s3, world, client):
    content = fixture_bytes("good.pdf")
    evidence = make_evidence(world, name="good.pdf")
    key = blob_name(hashlib.sha256(content).hexdigest())

    stored = s3.get_object(Bucket=BUCKET, Key=key)
    assert stored["Body"].read() == content
    grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert all("AllUsers" not in json.dumps(grant) for grant in grants)

    client.force_login(world.operator)
    response = download(client, evidence)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(content))
    assert "attachment" in response["Content-Disposition"]


def test_the_download_view_still_checks_permission_on_s3(s3, world, client):
    evidence = make_evidence(world, name="good.pdf")
    client.force_login(world.outsider)
    assert download(client, evidence).status_code == 404


def test_a_raw_body_upload_from_the_page_lands_in_the_bucket(s3, world, client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    content = fixture_bytes("good.docx")
    client.force_login(world.koordinator)
    query = urlencode({"kind": "peraturan", "unit": world.unit_a.pk})
    response = client.post(
        f"{upload_url(world)}?{query}",
        content,
        content_type="application/octet-stream",
        headers={
            "Accept": "application/json",
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote('Perwali TIK.docx')}",
        },
    )
    assert response.status_code in (200, 201), response.content
    evidence = Evidence.objects.get(institution=world.institution)
    key = blob_name(hashlib.sha256(content).hexdigest())
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == content
    assert b"".join(download(client, evidence).streaming_content) == content


def test_the_same_file_uploaded_by_two_institutions_is_stored_once(s3, world):
    make_evidence(world, name="good.png")
    services.evidence_upload(
        actor=world.outsider,
        institution_id=world.other_institution.pk,
        uploaded=file("good.png"),
        title="Logo",
        kind="peraturan",
    )
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert len(keys) == 1


def test_text_is_extracted_from_a_file_in_the_bucket(s3, world):
    evidence = make_evidence(world, name="good.pdf")
    stored = evidence.versions.get().file
    file_text_extract(stored.pk)
    assert FileText.objects.get(file=stored).text.strip()


def test_readiness_probes_the_bucket(s3, client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content)["checks"]["storage"]["ok"] is True
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0) == 0  # the probe is gone


def test_a_missing_bucket_makes_the_server_not_ready(s3, client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "bucket_name": "no-such"},
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content)["failing"] == ["storage"]
    assert default_storage.__class__.__name__  # still usable afterwards
