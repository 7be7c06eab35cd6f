"""Single sign-on end to end, against a real OpenID Connect provider on loopback: the browser
goes to the provider and back, Monev exchanges the code at the provider's token endpoint over
HTTP, verifies the RS256-signed ID token with the provider's published keys, and signs in."""

from __future__ import annotations

import json

import pytest
import requests
from axes.models import AccessAttempt
from django.contrib.auth import get_user
from django.contrib.messages import get_messages
from oidc_provider import CLIENT_ID, configure, sso_sign_in, start_provider

from monev.accounts.models import SsoGrant, SsoIdentity, User
from monev.audit.models import AuditEvent
from monev.institutions.models import Membership, Role

ROLE_MAP = {
    "/monev/kota-contoh/koordinator": {"institution": "kota-contoh", "role": "koordinator"},
    "contoh-operator-a": {"institution": "kota-contoh", "role": "operator", "unit": "A"},
    "contoh-operator-b": {"institution": "kota-contoh", "role": "operator", "unit": "B"},
    "/monev/asesor": [
        {"institution": "kota-contoh", "role": "asesor_eksternal"},
        {"institution": "kab-lain", "role": "asesor_eksternal"},
    ],
}


@pytest.fixture
def provider():
    provider = start_provider()
    yield provider
    provider.stop()


@pytest.fixture
def sso(settings, provider, tmp_path, world):
    path = tmp_path / "roles.json"
    path.write_text(json.dumps(ROLE_MAP))
    configure(settings, provider, role_map=path)
    return provider


def budi(provider, *groups: str, **claims) -> None:
    defaults = {
        "preferred_username": "budi",
        "name": "Budi Santoso",
        "email": "budi@contoh.go.id",
        "email_verified": True,
    }
    provider.sign_in_as("f3c1-budi", **{**defaults, "groups": list(groups), **claims})


def memberships(user) -> set[tuple[str, str, str | None]]:
    return {
        (m.institution.code, m.role, m.unit.code if m.unit_id else None)
        for m in Membership.objects.filter(user=user).select_related("institution", "unit")
    }


def signed_in(client) -> User | None:
    user = get_user(client)
    return user if user.is_authenticated else None


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_first_sign_in_creates_the_user_with_the_mapped_memberships(client, sso):
    budi(sso, "/monev/kota-contoh/koordinator", "contoh-operator-a", "unmapped-group")

    response = sso_sign_in(client, sso)

    assert response.status_code == 302
    assert response["Location"] == "/"
    user = signed_in(client)
    assert user is not None
    assert (user.username, user.full_name, user.email) == (
        "budi",
        "Budi Santoso",
        "budi@contoh.go.id",
    )
    assert not user.has_usable_password()
    identity = SsoIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (sso.issuer, "f3c1-budi")
    assert memberships(user) == {
        ("kota-contoh", Role.KOORDINATOR, None),
        ("kota-contoh", Role.OPERATOR, "A"),
    }
    assert SsoGrant.objects.filter(membership__user=user).count() == 2
    actions = list(AuditEvent.objects.filter(actor=user).values_list("action", flat=True))
    assert sorted(actions) == [
        "membership.sso_grant",
        "membership.sso_grant",
        "user.sso_create",
        "user.sso_link",
    ]
    assert sso.token_requests == 1


def test_the_page_asked_for_before_signing_in_is_where_sign_in_lands(client, sso):
    budi(sso, "/monev/kota-contoh/koordinator")

    response = sso_sign_in(client, sso, "?next=/periode/")

    assert response["Location"] == "/periode/"


def test_role_changes_on_the_server_are_applied_at_the_next_sign_in(client, sso):
    budi(sso, "/monev/kota-contoh/koordinator", "contoh-operator-a")
    sso_sign_in(client, sso)
    user = signed_in(client)
    client.logout()

    budi(sso, "contoh-operator-b", "/monev/asesor", name="Budi S.")
    sso_sign_in(client, sso)

    assert signed_in(client) == user
    assert User.objects.filter(sso_identities__subject="f3c1-budi").count() == 1
    user.refresh_from_db()
    assert user.full_name == "Budi S."
    assert memberships(user) == {
        ("kota-contoh", Role.OPERATOR, "B"),
        ("kota-contoh", Role.ASESOR_EKSTERNAL, None),
        ("kab-lain", Role.ASESOR_EKSTERNAL, None),
    }
    revoked = AuditEvent.objects.filter(action="membership.sso_revoke").order_by("seq")
    assert {(e.before["role"], e.before["claim"]) for e in revoked} == {
        ("koordinator", "/monev/kota-contoh/koordinator"),
        ("operator", "contoh-operator-a"),
    }
    assert AuditEvent.objects.filter(action="membership.sso_grant").count() == 5


def test_memberships_granted_in_monev_are_left_alone(client, sso, world):
    budi(sso, "contoh-operator-a")
    sso_sign_in(client, sso)
    user = signed_in(client)
    local = Membership.objects.create(
        user=user, institution=world.institution, role=Role.PIMPINAN
    )  # granted by an admin in Monev
    client.logout()

    budi(sso, "/monev/kota-contoh/koordinator")  # no pimpinan claim, operator claim gone
    sso_sign_in(client, sso)

    assert Membership.objects.filter(pk=local.pk).exists()
    assert memberships(user) == {
        ("kota-contoh", Role.PIMPINAN, None),
        ("kota-contoh", Role.KOORDINATOR, None),
    }


def test_a_claim_for_a_role_already_granted_in_monev_does_not_take_it_over(client, sso, world):
    budi(sso)
    sso_sign_in(client, sso)
    user = signed_in(client)
    local = Membership.objects.create(
        user=user, institution=world.institution, role=Role.KOORDINATOR
    )
    client.logout()
    budi(sso, "/monev/kota-contoh/koordinator")
    sso_sign_in(client, sso)
    client.logout()
    budi(sso)  # the claim goes away again
    sso_sign_in(client, sso)

    assert Membership.objects.filter(pk=local.pk).exists()
    assert not SsoGrant.objects.filter(membership=local).exists()


def test_a_person_with_no_mapped_role_signs_in_and_is_told_why_there_is_nothing(client, sso):
    budi(sso, "some-other-application")

    response = sso_sign_in(client, sso)

    user = signed_in(client)
    assert user is not None
    assert memberships(user) == set()
    page = client.get(response["Location"], follow=True)
    assert page.status_code == 200
    assert "belum memiliki peran" in page.content.decode()


def test_unknown_codes_in_the_role_map_are_logged_and_skipped_not_a_server_error(
    client, settings, provider, tmp_path, world, caplog
):
    path = tmp_path / "roles.yaml"
    path.write_text(
        "contoh-operator-z:\n  institution: kota-contoh\n  role: operator\n  unit: Z\n"
        "/monev/kota-hilang/koordinator:\n  institution: kota-hilang\n  role: koordinator\n"
        "/monev/kota-contoh/koordinator:\n  institution: kota-contoh\n  role: koordinator\n"
    )
    configure(settings, provider, role_map=path)
    budi(
        provider,
        "contoh-operator-z",
        "/monev/kota-hilang/koordinator",
        "/monev/kota-contoh/koordinator",
    )

    with caplog.at_level("ERROR", logger="monev.accounts.sso"):
        response = sso_sign_in(client, provider)

    assert response.status_code == 302
    assert memberships(signed_in(client)) == {("kota-contoh", Role.KOORDINATOR, None)}
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any("'kota-hilang'" in e and "configuration error" in e for e in errors)
    assert any("unit 'Z'" in e for e in errors)


def test_an_unreadable_role_map_refuses_sign_in_and_changes_nothing(
    client, settings, provider, tmp_path, world, caplog
):
    path = tmp_path / "roles.json"
    path.write_text('{"/monev/kota-contoh/koordinator": {"institution": "kota-contoh"}}')
    configure(settings, provider, role_map=path)
    budi(provider, "/monev/kota-contoh/koordinator")

    response = sso_sign_in(client, provider)

    assert response["Location"] == "/masuk/"
    assert signed_in(client) is None
    assert not User.objects.filter(username="budi").exists()
    assert "peta peran" in " ".join(messages_of(response))
    assert "needs an institution and a role" in caplog.text


@pytest.mark.parametrize(
    "tamper", ["signature", "issuer", "audience", "expired", "nonce", "userinfo_sub"]
)
def test_an_untrustworthy_answer_from_the_provider_is_refused(client, sso, tamper):
    budi(sso, "/monev/kota-contoh/koordinator")
    sso.tamper = tamper

    response = sso_sign_in(client, sso)

    assert response.status_code == 302
    assert response["Location"] == "/masuk/"
    assert signed_in(client) is None
    assert not User.objects.filter(username="budi").exists()
    assert messages_of(response)
    assert not AccessAttempt.objects.exists()  # SSO failures never lock password sign-in


def test_a_provider_error_at_the_token_endpoint_is_a_message_not_a_server_error(client, sso):
    budi(sso, "/monev/kota-contoh/koordinator")
    sso.tamper = "token_error"

    response = sso_sign_in(client, sso)

    assert response["Location"] == "/masuk/"
    assert signed_in(client) is None
    assert "tidak dapat dihubungi" in " ".join(messages_of(response))


def test_a_callback_with_a_state_this_browser_did_not_start_is_refused(client, sso):
    budi(sso, "/monev/kota-contoh/koordinator")
    client.get("/oidc/authenticate/")  # the browser's own flow, with its own state
    code = "stolen-code"

    response = client.get(f"/oidc/callback/?code={code}&state=forged-state")

    assert response["Location"] == "/masuk/"
    assert signed_in(client) is None
    assert sso.token_requests == 0


def test_a_callback_without_any_flow_started_is_refused(client, sso):
    response = client.get("/oidc/callback/?code=abc&state=def")

    assert response["Location"] == "/masuk/"
    assert signed_in(client) is None
    assert sso.token_requests == 0


def test_a_callback_cannot_be_replayed(client, sso):
    budi(sso, "/monev/kota-contoh/koordinator")
    start = client.get("/oidc/authenticate/")
    back = requests.get(start["Location"], allow_redirects=False, timeout=10).headers["Location"]
    callback = back.removeprefix("http://testserver")
    assert client.get(callback)["Location"] == "/"
    client.logout()

    replay = client.get(callback)

    assert replay["Location"] == "/masuk/"
    assert signed_in(client) is None


def test_the_provider_saying_no_returns_to_the_sign_in_page(client, sso):
    start = client.get("/oidc/authenticate/")
    state = start["Location"].split("state=")[1].split("&")[0]

    response = client.get(f"/oidc/callback/?error=access_denied&state={state}")

    assert response["Location"] == "/masuk/"
    assert signed_in(client) is None


def test_a_local_account_with_the_same_email_is_not_taken_over(client, sso, world):
    world.koordinator.email = "budi@contoh.go.id"
    world.koordinator.save()
    budi(sso, "contoh-operator-a", preferred_username="koordinator")

    sso_sign_in(client, sso)

    user = signed_in(client)
    assert user != world.koordinator
    assert user.username.startswith("koordinator-")
    assert memberships(world.koordinator) == {("kota-contoh", Role.KOORDINATOR, None)}


def test_linking_by_verified_email_when_configured(client, settings, sso, world):
    settings.MONEV_OIDC_LINK_BY_EMAIL = True
    world.pimpinan.email = "budi@contoh.go.id"
    world.pimpinan.save()
    budi(sso, "contoh-operator-a")

    sso_sign_in(client, sso)

    assert signed_in(client) == world.pimpinan
    assert SsoIdentity.objects.get(subject="f3c1-budi").user == world.pimpinan
    assert memberships(world.pimpinan) == {
        ("kota-contoh", Role.PIMPINAN, None),
        ("kota-contoh", Role.OPERATOR, "A"),
    }


def test_an_unverified_email_is_never_used_to_link(client, settings, sso, world):
    settings.MONEV_OIDC_LINK_BY_EMAIL = True
    world.pimpinan.email = "budi@contoh.go.id"
    world.pimpinan.save()
    budi(sso, email_verified=False)

    sso_sign_in(client, sso)

    assert signed_in(client) != world.pimpinan


def test_a_deactivated_user_cannot_sign_in_through_sso(client, sso):
    budi(sso, "contoh-operator-a")
    sso_sign_in(client, sso)
    user = signed_in(client)
    client.logout()
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = sso_sign_in(client, sso)

    assert response["Location"] == "/masuk/"
    assert signed_in(client) is None


def test_the_sign_in_page_offers_sso_when_configured(client, sso):
    page = client.get("/masuk/?next=/periode/")

    assert page.status_code == 200
    assert "Masuk dengan SSO" in page.content.decode()
    assert 'href="/oidc/authenticate/?next=/periode/"' in page.content.decode()


def test_without_configuration_there_is_no_sso_and_password_sign_in_works(
    client, world, password, settings
):
    assert settings.MONEV_OIDC_ENABLED is False
    page = client.get("/masuk/")
    assert "oidc" not in page.content.decode()
    assert "Masuk dengan SSO" not in page.content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=a&state=b").status_code == 404

    response = client.post("/masuk/", {"username": "koordinator", "password": password})

    assert response.status_code == 302
    assert signed_in(client) == world.koordinator


def test_password_sign_in_still_works_beside_sso(client, sso, world, password):
    response = client.post("/masuk/", {"username": "operator", "password": password})

    assert response.status_code == 302
    assert signed_in(client) == world.operator


def test_the_client_id_is_sent_to_the_provider(client, sso):
    start = client.get("/oidc/authenticate/")

    assert f"client_id={CLIENT_ID}" in start["Location"]
    assert "code_challenge_method=S256" in start["Location"]
    assert "nonce=" in start["Location"]


def test_the_sign_in_page_needs_no_database_query(client, sso, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/masuk/").status_code == 200
