"""Who may do what: one declared table of role -> capabilities, and the checks built on it.

A user's capabilities in an institution are the union over their memberships there. An
operator's capabilities on an answer further require the answer to be assigned to their unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from monev.institutions.models import Role


class Capability(StrEnum):
    VIEW = "view"  # see the institution's periods, answers, scores
    EDIT_ANSWER = "edit_answer"  # level, penjelasan (operator: own unit's answers only)
    SUBMIT_ANSWER = "submit_answer"
    ASSIGN_UNITS = "assign_units"  # who is responsible for which indicator
    VERIFY_ANSWER = "verify_answer"  # asesor internal: verify or return
    REOPEN_ANSWER = "reopen_answer"  # after the self-assessment deadline, with a reason
    MANAGE_PERIOD = "manage_period"  # periods, milestones, targets, finalisation
    RESPOND_TO_ASSESSOR = "respond_to_assessor"  # the institution's interview response
    ASSESS = "assess"  # asesor eksternal: levels and notes at the external stages
    COMMENT = "comment"
    VIEW_AUDIT = "view_audit"
    MANAGE_INSTITUTION = "manage_institution"  # units and memberships
    MANAGE_EVIDENCE = "manage_evidence"  # upload, describe, version (operator: own units')
    MANAGE_ASSESSORS = "manage_assessors"  # evaluator: assign external assessors, create periods


EVALUATOR_ROLE = "evaluator"
ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.KOORDINATOR: frozenset(
        {
            Capability.VIEW,
            Capability.EDIT_ANSWER,
            Capability.SUBMIT_ANSWER,
            Capability.ASSIGN_UNITS,
            Capability.REOPEN_ANSWER,
            Capability.MANAGE_PERIOD,
            Capability.RESPOND_TO_ASSESSOR,
            Capability.COMMENT,
            Capability.VIEW_AUDIT,
            Capability.MANAGE_EVIDENCE,
        }
    ),
    Role.OPERATOR: frozenset(
        {
            Capability.VIEW,
            Capability.EDIT_ANSWER,
            Capability.SUBMIT_ANSWER,
            Capability.COMMENT,
            Capability.MANAGE_EVIDENCE,
        }
    ),
    Role.ASESOR_INTERNAL: frozenset(
        {Capability.VIEW, Capability.VERIFY_ANSWER, Capability.COMMENT, Capability.VIEW_AUDIT}
    ),
    Role.ASESOR_EKSTERNAL: frozenset({Capability.VIEW, Capability.ASSESS, Capability.COMMENT}),
    Role.PIMPINAN: frozenset({Capability.VIEW}),
    Role.ADMIN: frozenset(
        {
            Capability.VIEW,
            Capability.MANAGE_INSTITUTION,
            Capability.MANAGE_PERIOD,
            Capability.VIEW_AUDIT,
        }
    ),
    # Not a membership: held through the user's evaluator scope (national, or one province),
    # by the people who run the evaluation of many institutions (the ministry, a province).
    EVALUATOR_ROLE: frozenset(
        {Capability.VIEW, Capability.VIEW_AUDIT, Capability.MANAGE_ASSESSORS}
    ),
}

# The role of Access.system_viewer(): no membership has it.
SYSTEM_ROLE = "system"

# Capabilities an operator holds only on answers assigned to their own unit.
UNIT_SCOPED = frozenset(
    {Capability.EDIT_ANSWER, Capability.SUBMIT_ANSWER, Capability.MANAGE_EVIDENCE}
)


class Access:
    """What one user may do in one institution, from their memberships there."""

    def __init__(self, memberships: Iterable) -> None:
        self.roles: set[str] = set()
        self.unit_ids: set[int] = set()  # units the user operates for
        self.capabilities: set[Capability] = set()
        unscoped: set[Capability] = set()
        for membership in memberships:
            self.roles.add(membership.role)
            capabilities = ROLE_CAPABILITIES[membership.role]
            self.capabilities |= capabilities
            if membership.role == Role.OPERATOR:
                self.unit_ids.add(membership.unit_id)
            else:
                unscoped |= capabilities
        # Scoped capabilities held through another role (koordinator) are not scoped.
        self.scoped = (self.capabilities & UNIT_SCOPED) - unscoped

    @classmethod
    def system_viewer(cls) -> Access:
        """The access of the command line (`monev export`, `monev periods`): it runs as the
        system, with no user, and may only read (VIEW) - every institution, every unit's
        answers. Never built from a request: pages and the API always use access_for(user)."""
        access = cls(())
        access.roles = {SYSTEM_ROLE}
        access.capabilities = {Capability.VIEW}
        return access

    def __bool__(self) -> bool:
        return bool(self.roles)

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def can_on_answer(self, capability: Capability, answer_unit_ids: Iterable[int]) -> bool:
        if capability not in self.capabilities:
            return False
        if capability in self.scoped:
            return bool(self.unit_ids & set(answer_unit_ids))
        return True

    @property
    def is_operator_only(self) -> bool:
        return self.roles == {Role.OPERATOR}
