"""The caller's own account through the API: who they are, where they belong, and their
personal tokens (listed, created - the secret is shown once - and revoked)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema, Status

from monev.accounts import selectors, services
from monev.accounts.models import ApiToken
from monev.lib.api_schemas import READ_ERRORS, WRITE_ERRORS, Id, InstitutionRefOut, UnitOut

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    institution: InstitutionRefOut
    role: str = Field(examples=["koordinator"])
    role_label: str
    unit: UnitOut | None = Field(None, description="the operator's unit")


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    display_name: str
    email: str
    memberships: list[MembershipOut]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="the start of the token, to tell tokens apart")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    active: bool
    origin: str = Field(
        description="how the token was made: `page` (the tokens page), `api` (this API with "
        "the browser session), `command` (`monev token create`), `unknown` (made before this "
        "was recorded). A token cannot make tokens.",
        examples=["page"],
    )


class TokenCreatedOut(TokenOut):
    secret: str = Field(
        description="the token itself: send it as `Authorization: Bearer <secret>`. "
        "Shown only in this response; only a hash is stored."
    )


class TokenCreateIn(Schema):
    name: str = Field(
        min_length=1,
        max_length=100,
        description="where the token is used",
        examples=["laporan-bulanan"],
    )


def _token(token: ApiToken) -> dict:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.key_prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
        "active": token.revoked_at is None,
        "origin": token.origin,
    }


@router.get("/me", response={200: MeOut, **READ_ERRORS}, summary="Who am I")
def me(request):
    """The signed-in person and their memberships: a role per institution (and unit)."""
    user = request.auth
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "display_name": user.display_name,
        "email": user.email,
        "memberships": [
            {
                "institution": m.institution,
                "role": m.role,
                "role_label": str(m.get_role_display()),
                "unit": m.unit,
            }
            for m in selectors.memberships_of(user)
        ],
    }


@router.get("/tokens", response={200: list[TokenOut], **READ_ERRORS}, summary="List my tokens")
def token_list(request):
    """The caller's personal API tokens, revoked ones included, newest first. Secrets are
    never shown again after creation."""
    return [_token(t) for t in selectors.tokens_of(request.auth)]


@router.post("/tokens", response={201: TokenCreatedOut, **WRITE_ERRORS}, summary="Create a token")
def token_create(request, payload: TokenCreateIn):
    """A new personal token for the caller. The response holds the secret: copy it now, it
    cannot be shown again. Only with the browser session: a call made with a token answers 403
    `session_required` (a token cannot make tokens)."""
    token, secret = services.token_create(
        actor=request.auth,
        name=payload.name,
        origin=ApiToken.Origin.API,
        via_token=getattr(request, "api_token", None),
    )
    return Status(201, {**_token(token), "secret": secret})


@router.delete(
    "/tokens/{token_id}", response={200: TokenOut, **WRITE_ERRORS}, summary="Revoke a token"
)
def token_revoke(request, token_id: Id):
    """Stop one of the caller's tokens working, at once. Revoking twice is harmless."""
    return _token(services.token_revoke(actor=request.auth, token_id=token_id))
