"""One validation result for every kind of import: the changes the accepted rows will make and
every rejected row with where it is (sheet, row, column) and why, in the UI language.

Kept as JSON on the ImportBatch between the preview and the apply, and returned by the API as is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field


class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ADD = "add"  # an assignment link or a membership added
    REMOVE = "remove"  # an assignment link removed

    WRITES = frozenset({CREATE, UPDATE, ADD, REMOVE})


@dataclass
class Rejection:
    row: int  # the file's row number (1-based); 0 when the problem is the whole file
    column: str  # the header as written in the file ("" when no column is at fault)
    message: str
    sheet: str = ""


@dataclass
class Change:
    row: int  # the file's row number (0 for changes no single row makes: a removed link)
    action: str
    subject: str  # what it is about, for people: "Indikator 3", "Unit DISKOMINFO"
    before: str = ""  # the current value, for people
    after: str = ""  # the value the import writes, for people
    note: str = ""  # a consequence worth knowing ("the answer goes back to draft")
    data: dict = field(default_factory=dict)  # what the apply needs (ids, versions); not shown

    @property
    def writes(self) -> bool:
        return self.action in Action.WRITES


@dataclass
class Report:
    kind: str
    rows_read: int = 0
    changes: list[Change] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    state: dict = field(default_factory=dict)  # the state validated against (fingerprints)

    def reject(self, row: int, column: str, message, sheet: str = "") -> None:
        self.rejected.append(Rejection(row=row, column=column, message=str(message), sheet=sheet))

    def change(self, row: int, action: str, subject, **fields) -> Change:
        change = Change(row=row, action=action, subject=str(subject), **fields)
        self.changes.append(change)
        return change

    @property
    def ok(self) -> bool:
        return not self.rejected

    @property
    def writes(self) -> list[Change]:
        return [change for change in self.changes if change.writes]

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(change.action for change in self.changes)
        return {
            "create": counted[Action.CREATE],
            "update": counted[Action.UPDATE],
            "add": counted[Action.ADD],
            "remove": counted[Action.REMOVE],
            "unchanged": counted[Action.UNCHANGED],
            "rejected": len(self.rejected),
        }

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "rows_read": self.rows_read,
            "changes": [asdict(change) for change in self.changes],
            "rejected": [asdict(rejection) for rejection in self.rejected],
            "state": self.state,
        }

    @classmethod
    def from_json(cls, data: dict) -> Report:
        return cls(
            kind=data["kind"],
            rows_read=data.get("rows_read", 0),
            changes=[Change(**change) for change in data.get("changes", [])],
            rejected=[Rejection(**rejection) for rejection in data.get("rejected", [])],
            state=data.get("state", {}),
        )
