"""Document facts read from a file's text (document_facts.read_facts, stored on the file by the
background job as StoredFile.facts), as the description of an evidence item uses them:

- proposals: the facts to pre-fill where the description has none yet (a number, a date, a
  title still the file's name, a kind still "other"); the person confirms or corrects them;
- read fields: those confirmed unchanged are remembered as read from the text, not typed
  (Evidence.read_fields), and pages, readiness messages and exports say so;
- contradictions: a typed number or date that the text contradicts (the readiness warning
  facts_contradict_text).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterable

from monev.evidence.models import Evidence

READABLE = ("title", "kind", "document_number", "document_date")
_DIGITS = re.compile(r"\d+")
# document_facts' kinds that are Evidence kinds as they are
_KINDS = {choice.value for choice in Evidence.Kind}


def proposed_values(facts: dict | None) -> dict:
    """The facts as values of the description's fields (only those read)."""
    facts = facts or {}
    values = {}
    if facts.get("title"):
        values["title"] = facts["title"][:300]
    if facts.get("kind") in _KINDS:
        values["kind"] = facts["kind"]
    if facts.get("number"):
        values["document_number"] = facts["number"][:120]
    if facts.get("enacted_on"):
        with contextlib.suppress(ValueError):
            values["document_date"] = dt.date.fromisoformat(facts["enacted_on"])
    return values


def proposals(evidence: Evidence, facts: dict | None, original_name: str = "") -> dict:
    """What to pre-fill: the facts read, for the fields the description leaves open."""
    open_fields = {
        "title": not evidence.title or evidence.title == original_name,
        "kind": evidence.kind == Evidence.Kind.OTHER,
        "document_number": not evidence.document_number,
        "document_date": evidence.document_date is None,
    }
    return {name: value for name, value in proposed_values(facts).items() if open_fields.get(name)}


def same_number(typed: str, read: str) -> bool:
    """Two ways of writing one number ("12/2024", "12 TAHUN 2024") have the same digits."""
    return _DIGITS.findall(typed) == _DIGITS.findall(read)


def contradictions(document_number: str, document_date, facts: dict | None) -> list[tuple]:
    """(field, typed, read) for each typed fact the text contradicts."""
    read = proposed_values(facts)
    found = []
    number = read.get("document_number")
    if document_number and number and not same_number(document_number, number):
        found.append(("document_number", document_number, number))
    date = read.get("document_date")
    if document_date and date and document_date != date:
        found.append(("document_date", document_date, date))
    return found


def read_fields_after(
    evidence: Evidence, changed: dict, confirmed: Iterable[str], facts: dict | None
) -> list[str]:
    """The fields read from the text once `changed` is saved: a field changed by hand is typed;
    one confirmed with the value the text gives is read."""
    read = set(evidence.read_fields or ())
    read -= set(changed)
    values = proposed_values(facts)
    for name in confirmed:
        if (
            name in READABLE
            and name in values
            and changed.get(name, _current(evidence, name)) == values[name]
        ):
            read.add(name)
    return sorted(read)


def _current(evidence: Evidence, name: str):
    return getattr(evidence, name)
