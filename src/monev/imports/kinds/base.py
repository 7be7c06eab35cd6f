"""What every kind of import provides: how to find its rows in the file (`extract`), what they
would change now (`validate`), and how to write that through the services (`apply`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from monev.imports.parsing import Header, Sheet, cell, find_header, read_table
from monev.imports.report import Rejection, Report
from monev.institutions.permissions import Capability


@dataclass
class Context:
    """Who imports into what. `actor` None is the system (the `monev import` command)."""

    actor: object | None
    institution: object  # Institution
    period: object | None = None  # Period, for the period kinds
    access: object | None = None  # the actor's Access in `institution` (None for the system)
    now: datetime | None = None

    @property
    def is_system(self) -> bool:
        return self.actor is None


@dataclass(frozen=True)
class Columns:
    """A table's fields: the header texts accepted for each (most specific first)."""

    aliases: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    any_of: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.aliases)

    def find(self, sheets: list[Sheet]) -> tuple[Sheet, Header] | None:
        for sheet in sheets:
            if header := find_header(sheet, self.aliases, self.required, self.any_of):
                return sheet, header
        return None


def rows_below(sheet: Sheet, header: Header, fields: tuple[str, ...]) -> list[dict]:
    """The non-empty rows under the header as {field: text, "_row": n, "_sheet": name}."""
    rows = []
    for index in range(header.row_index + 1, len(sheet.rows)):
        row = sheet.rows[index]
        if not any(row):
            continue
        values = {name: cell(row, header.columns.get(name)) for name in fields}
        values["_row"] = index + 1
        values["_sheet"] = sheet.name
        rows.append(values)
    return rows


def no_header(expected: str) -> Rejection:
    return Rejection(
        row=0,
        column="",
        message=str(
            _(
                "No header row was found in the first 10 rows: the file needs the columns "
                "%(columns)s (see the template)."
            )
            % {"columns": expected}
        ),
    )


class ImportKind:
    name: str
    scope: str  # "period" or "institution"
    title = ""
    description = ""
    capability: Capability
    # The rows name their institutions: the import may run without a target institution.
    many_institutions = False
    page = ""  # the URL name of the kind's own upload page, where it has one
    # `monev import` (the system) may run it without --institution: the rows name theirs.
    system_needs_no_target = False
    # "table": an .xlsx or CSV with a template workbook; "json": a JSON file with an example.
    file_format = "table"
    # For the template workbook: [(sheet name, [headers], [example row, ...])]
    template_sheets: list[tuple[str, list[str], list[list[str]]]] = []

    def permits(self, access) -> bool:
        """Whether `access` (in the target institution) may run this import."""
        return access.can(self.capability)

    def example(self) -> list:
        """For a JSON kind: the content of its example file."""
        return []

    def read(self, path) -> list:
        """The file's content for `extract`: its sheets (raises parsing.Unreadable)."""
        return read_table(path)

    def extract(self, sheets: list[Sheet]) -> tuple[list[dict], list[Rejection], dict]:
        """(rows as dicts, problems with the file as a whole, facts about the layout)."""
        raise NotImplementedError

    def validate(self, context: Context, rows: list[dict], layout: dict, report: Report) -> None:
        raise NotImplementedError

    def apply(self, context: Context, report: Report) -> None:
        """Write the report's changes through the services; raise a DomainError to undo all."""
        raise NotImplementedError


def labels(layout: dict, name: str, default: str) -> str:
    return layout.get("labels", {}).get(name) or default
