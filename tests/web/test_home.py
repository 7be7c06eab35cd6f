from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_it_sends_visitors_to_sign_in_and_members_to_their_periods(client, world):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/masuk/"
    client.force_login(world.koordinator)
    assert client.get("/")["Location"] == "/periode/"


def test_it_signs_in_with_a_username_and_password(client, world, password):
    response = client.post("/masuk/", {"username": "koordinator", "password": "wrong"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    response = client.post("/masuk/", {"username": "koordinator", "password": password})
    assert response.status_code == 302
    assert client.get("/periode/").status_code == 200


def test_it_sends_security_headers(client):
    response = client.get("/instrumen/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_it_speaks_indonesian_even_to_an_english_browser(client):
    response = client.get("/instrumen/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Instrumen evaluasi" in response.content.decode()
    assert response["Content-Language"] == "id"


def test_it_switches_language_only_on_the_users_choice(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/instrumen/"})
    response = client.get("/instrumen/")
    assert "Evaluation instruments" in response.content.decode()
    assert response["Content-Language"] == "en"


def test_an_evaluator_lands_on_the_evaluation_rounds_progress(client, world):
    from monev.accounts.models import User

    evaluator = User.objects.create_user(username="evaluator-nasional", evaluator_scope="nasional")
    client.force_login(evaluator)
    assert client.get("/")["Location"] == "/evaluasi-nasional/kemajuan/"
