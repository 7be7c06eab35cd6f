"""What the evaluator-level imports share (`assessor-assignments`, `institutions`, `periods`):
they are not tied to one institution; each row names its institution by code and is checked
against the importer's evaluator scope (the system, `monev import`, has every institution)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from monev.imports.parsing import parse_int
from monev.institutions.access import scope_filter
from monev.institutions.models import Institution


def institutions_by_code(context) -> tuple[dict[str, Institution], set[int]]:
    """({casefolded code: institution}, {ids in the actor's evaluator scope}). Institutions
    are few (hundreds): two queries whatever the file."""
    found = {i.code.casefold(): i for i in Institution.objects.all()}
    if context.is_system:
        return found, {i.pk for i in found.values()}
    in_scope = set(
        Institution.objects.filter(scope_filter(context.actor)).values_list("pk", flat=True)
    )
    return found, in_scope


def institution_and_year(
    row: dict, institution: Institution | None, in_scope: set[int], reject: Callable
) -> tuple[Institution, int] | None:
    """The row's institution (found by its code, in the importer's scope) and year, or None
    after rejecting the row with the reason."""
    code = row["institution"].strip()
    if not code:
        reject("institution", _("The institution code is empty."))
        return None
    if institution is None or institution.pk not in in_scope:
        reject(
            "institution",
            _("Institution “%(code)s” is not found or not in your evaluator scope.")
            % {"code": code[:60]},
        )
        return None
    year = parse_int(row["year"])
    if year is None or not 2000 <= year <= 2100:
        reject("year", _("“%(text)s” is not a year (2000-2100).") % {"text": row["year"][:20]})
        return None
    return institution, year
