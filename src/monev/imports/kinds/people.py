"""Units and users of an institution: a workbook with the sheets "Unit" (Kode, Nama, Nama
Singkat) and "Pengguna" (Username, Nama Lengkap, Email, Peran, Kode Unit, optionally Kata Sandi
Awal), or a CSV with either table. Existing accounts only gain the membership: their names,
e-mail and password are never changed by an import."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from monev.accounts.models import User
from monev.imports import writes
from monev.imports.kinds.base import Columns, Context, ImportKind, labels, no_header, rows_below
from monev.imports.parsing import normalise
from monev.imports.report import Action, Report
from monev.institutions.models import Membership, Role
from monev.institutions.permissions import Capability
from monev.lib.errors import DomainError

UNITS = Columns(
    aliases={
        "code": ("Kode Unit", "Kode", "Code", "Unit code"),
        "name": ("Nama Unit", "Nama", "Name"),
        "short_name": ("Nama Singkat", "Singkatan", "Short name"),
    },
    required=("code", "name"),
)
USERS = Columns(
    aliases={
        "username": ("Username", "Nama Pengguna", "User name", "User"),
        "full_name": ("Nama Lengkap", "Nama", "Full name", "Name"),
        "email": ("Email", "E-mail", "Surel"),
        "role": ("Peran", "Role"),
        "unit": ("Kode Unit", "Unit", "Unit code"),
        "password": ("Kata Sandi Awal", "Kata Sandi", "Initial password", "Password"),
    },
    required=("username", "role"),
)

# Role codes and the Indonesian (and English) labels people write.
ROLE_NAMES = {
    **{normalise(role.value): role.value for role in Role},
    **{normalise(str(role.label)): role.value for role in Role},
    normalise("operator"): Role.OPERATOR,
    normalise("asesor internal"): Role.ASESOR_INTERNAL,
    normalise("asesor eksternal"): Role.ASESOR_EKSTERNAL,
    normalise("administrator"): Role.ADMIN,
    normalise("coordinator"): Role.KOORDINATOR,
    normalise("internal assessor"): Role.ASESOR_INTERNAL,
    normalise("external assessor"): Role.ASESOR_EKSTERNAL,
    normalise("leader"): Role.PIMPINAN,
}
# Hashing a password is deliberately slow (about 0.25 s with PBKDF2): a cap keeps the
# preview of one file within a page request.
MAX_INITIAL_PASSWORDS = 50
ROLE_LIST = "koordinator, operator, asesor_internal, asesor_eksternal, pimpinan, admin"


def _sheet_rank(sheet_name: str, wanted: str) -> int:
    return 0 if normalise(sheet_name) == normalise(wanted) else 1


class PeopleImport(ImportKind):
    name = "people"
    scope = "institution"
    title = _("Units and users")
    description = _(
        "The institution's units (sheet Unit) and its people with their roles (sheet Pengguna). "
        "Existing accounts only gain the role; their password is never changed."
    )
    capability = Capability.MANAGE_INSTITUTION
    template_sheets = [
        (
            "Unit",
            ["Kode", "Nama", "Nama Singkat"],
            [["DISKOMINFO", "Dinas Komunikasi dan Informatika", "Diskominfo"]],
        ),
        (
            "Pengguna",
            ["Username", "Nama Lengkap", "Email", "Peran", "Kode Unit", "Kata Sandi Awal"],
            [["budi", "Budi Santoso", "budi@example.go.id", "operator", "DISKOMINFO", ""]],
        ),
    ]

    def extract(self, sheets):
        rows: list[dict] = []
        layout: dict = {}
        # Sheets named "Pengguna" / "Unit" first; then any sheet with the right header.
        for table, columns, sheet_name in (
            ("users", USERS, "Pengguna"),
            ("units", UNITS, "Unit"),
        ):
            taken = {info["sheet"] for info in layout.values()}
            candidates = sorted(
                (sheet for sheet in sheets if sheet.name not in taken),
                key=lambda sheet: _sheet_rank(sheet.name, sheet_name),
            )
            found = columns.find(candidates)
            if found is None:
                continue
            sheet, header = found
            layout[table] = {"sheet": sheet.name, "labels": header.labels}
            layout[table]["has"] = sorted(header.columns)
            for row in rows_below(sheet, header, columns.fields):
                row["_table"] = table
                rows.append(row)
        if not layout:
            expected = '"Kode", "Nama" (Unit) or "Username", "Peran" (Pengguna)'
            return [], [no_header(expected)], {}
        return rows, [], layout

    def validate(self, context: Context, rows, layout, report: Report) -> None:
        institution = context.institution
        units = {unit.code.casefold(): unit for unit in institution.units.all()}
        new_units: dict[str, str] = {}  # casefolded code -> code, units the file creates
        self._units(report, layout, [r for r in rows if r["_table"] == "units"], units, new_units)
        user_rows = [r for r in rows if r["_table"] == "users"]
        usernames = {row["username"].strip() for row in user_rows}
        users = {user.username: user for user in User.objects.filter(username__in=usernames)}
        memberships = {
            (m.user_id, m.role, m.unit_id)
            for m in Membership.objects.filter(institution=institution, user__in=users.values())
        }
        info = layout.get("users", {})
        label = {
            name: labels(info, name, default)
            for name, default in (
                ("username", "Username"),
                ("full_name", "Nama Lengkap"),
                ("email", "Email"),
                ("role", "Peran"),
                ("unit", "Kode Unit"),
                ("password", "Kata Sandi Awal"),
            )
        }
        sheet = info.get("sheet", "")
        seen: dict[tuple, int] = {}
        created: dict[str, int] = {}  # usernames the file creates -> their row
        check_username = UnicodeUsernameValidator()
        hashed = 0
        for row in user_rows:
            line = row["_row"]

            def reject(column: str, message, line=line) -> None:
                report.reject(line, label[column], message, sheet)

            username = row["username"].strip()
            full_name = row.get("full_name", "").strip()
            email = row.get("email", "").strip()
            if not username:
                reject("username", _("The username is empty."))
                continue
            try:
                check_username(username)
                if len(username) > 150:
                    raise ValidationError("too long")
            except ValidationError:
                reject(
                    "username",
                    _(
                        "“%(name)s” is not a valid username: letters, digits and @ . + - _ only, "
                        "at most 150 characters."
                    )
                    % {"name": username[:40]},
                )
                continue
            role = ROLE_NAMES.get(normalise(row["role"]))
            if role is None:
                reject(
                    "role",
                    _("The role “%(role)s” is not known; use one of: %(roles)s.")
                    % {"role": row["role"][:40], "roles": ROLE_LIST},
                )
                continue
            unit_code = row.get("unit", "").strip()
            unit = None
            if role == Role.OPERATOR:
                if not unit_code:
                    reject("unit", _("An operator needs the code of their unit."))
                    continue
                unit = units.get(unit_code.casefold())
                if unit is None and unit_code.casefold() not in new_units:
                    reject(
                        "unit",
                        _("Unit %(code)s is not a unit of this institution.") % {"code": unit_code},
                    )
                    continue
            else:
                unit_code = ""  # a unit only scopes an operator's role
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    reject(
                        "email", _("“%(email)s” is not an e-mail address.") % {"email": email[:60]}
                    )
                    continue
            if len(full_name) > 200:
                reject("full_name", _("The name is longer than 200 characters."))
                continue
            key = (username, role, unit_code.casefold())
            if key in seen:
                reject(
                    "username",
                    _("The same user and role are already in row %(row)d.") % {"row": seen[key]},
                )
                continue
            seen[key] = line
            user = users.get(username)
            password = row.get("password", "")
            password_hash = row.get("password_hash", "")
            subject = _("User %(username)s: %(role)s") % {
                "username": username,
                "role": Role(role).label,
            }
            if unit_code:
                subject = _("%(subject)s of unit %(code)s") % {
                    "subject": subject,
                    "code": unit_code,
                }
            data = {"username": username, "role": role, "unit_code": unit_code}
            if user is not None:
                unit_id = unit.pk if unit else None
                if (user.pk, role, unit_id) in memberships:
                    report.change(line, Action.UNCHANGED, subject)
                    continue
                note = ""
                if password or password_hash:
                    note = str(_("The account exists: its password is not changed."))
                report.change(
                    line,
                    Action.ADD,
                    subject,
                    after=str(_("role added to the existing account")),
                    note=note,
                    data={**data, "user_id": user.pk},
                )
                continue
            if username in created:
                report.change(
                    line,
                    Action.ADD,
                    subject,
                    after=str(
                        _("role added to the account created in row %(row)d")
                        % {"row": created[username]}
                    ),
                    data={**data, "user_id": None},
                )
                continue
            if row.get("password_refused"):
                reject("password", _("The initial password was refused; correct the file."))
                continue
            if password and hashed >= MAX_INITIAL_PASSWORDS:
                reject(
                    "password",
                    _(
                        "At most %(limit)d initial passwords per file (each takes time to "
                        "protect): split the file, or leave the password empty."
                    )
                    % {"limit": MAX_INITIAL_PASSWORDS},
                )
                continue
            if password:
                hashed += 1
                candidate = User(username=username, full_name=full_name, email=email)
                try:
                    validate_password(password, user=candidate)
                except ValidationError as error:
                    reject("password", " ".join(error.messages))
                    continue
                password_hash = make_password(password)
            created[username] = line
            report.change(
                line,
                Action.CREATE,
                subject,
                after=", ".join(filter(None, [full_name, email])),
                note=str(
                    _("Initial password set from the file.")
                    if password_hash
                    else _("No password: the person signs in by SSO, or an admin sets one.")
                ),
                data={
                    **data,
                    "user_id": None,
                    "full_name": full_name,
                    "email": email,
                    "password_hash": password_hash,
                },
            )

    def _units(self, report: Report, layout, rows, units, new_units) -> None:
        info = layout.get("units", {})
        label = {
            name: labels(info, name, default)
            for name, default in (
                ("code", "Kode"),
                ("name", "Nama"),
                ("short_name", "Nama Singkat"),
            )
        }
        has_short = "short_name" in info.get("has", [])
        sheet = info.get("sheet", "")
        seen: dict[str, int] = {}
        for row in rows:
            line = row["_row"]
            code, name = row["code"].strip(), row["name"].strip()
            short_name = row.get("short_name", "").strip()
            problem = None
            if not code:
                problem = ("code", _("The unit code is empty."))
            elif len(code) > 30:
                problem = ("code", _("The unit code is longer than 30 characters."))
            elif code.casefold() in seen:
                problem = (
                    "code",
                    _("Unit %(code)s is already in row %(row)d.")
                    % {"code": code, "row": seen[code.casefold()]},
                )
            elif not name:
                problem = ("name", _("The unit name is empty."))
            elif len(name) > 200:
                problem = ("name", _("The unit name is longer than 200 characters."))
            elif len(short_name) > 60:
                problem = ("short_name", _("The short name is longer than 60 characters."))
            if problem:
                report.reject(line, label[problem[0]], problem[1], sheet)
                continue
            seen[code.casefold()] = line
            subject = _("Unit %(code)s") % {"code": code}
            data = {"code": code, "name": name, "short_name": short_name if has_short else None}
            unit = units.get(code.casefold())
            if unit is None:
                new_units[code.casefold()] = code
                report.change(line, Action.CREATE, subject, after=name, data={**data, "code": code})
                continue
            data["code"] = unit.code  # the code as stored (the file's case may differ)
            same = unit.name == name and (not has_short or unit.short_name == short_name)
            if same:
                report.change(line, Action.UNCHANGED, subject, before=unit.name)
                continue
            report.change(
                line,
                Action.UPDATE,
                subject,
                before=" / ".join(filter(None, [unit.name, unit.short_name])),
                after=" / ".join(
                    filter(None, [name, short_name if has_short else unit.short_name])
                ),
                data=data,
            )

    def scrub(self, rows: list[dict], report: Report) -> list[dict]:
        """Never keep a password as typed: the validated rows carry its hash instead."""
        hashes = {
            change.row: change.data.get("password_hash", "")
            for change in report.changes
            if change.action == Action.CREATE and "password_hash" in change.data
        }
        rejected = {(r.sheet, r.row) for r in report.rejected}
        for row in rows:
            if row.pop("password", ""):
                row["password_hash"] = hashes.get(row["_row"], "")
                row["password_refused"] = (row["_sheet"], row["_row"]) in rejected
        return rows

    def apply(self, context: Context, report: Report) -> list[tuple[int, str, str]]:
        institution_id = context.institution.pk
        failures = []
        unit_ids = dict(
            (code.casefold(), pk)
            for code, pk in context.institution.units.values_list("code", "pk")
        )
        user_ids: dict[str, int] = {}
        for change in report.writes:
            data = change.data
            try:
                if "name" in data:  # a unit
                    unit = writes.unit_save(
                        actor=context.actor,
                        institution_id=institution_id,
                        code=data["code"],
                        name=data["name"],
                        short_name=data["short_name"],
                    )
                    unit_ids[unit.code.casefold()] = unit.pk
                    continue
                user_id = data.get("user_id") or user_ids.get(data["username"])
                if user_id is None:
                    user = writes.user_create(
                        actor=context.actor,
                        institution_id=institution_id,
                        username=data["username"],
                        full_name=data["full_name"],
                        email=data["email"],
                        password_hash=data["password_hash"],
                    )
                    user_id = user.pk
                user_ids[data["username"]] = user_id
                unit_id = unit_ids[data["unit_code"].casefold()] if data["unit_code"] else None
                writes.membership_add(
                    actor=context.actor,
                    institution_id=institution_id,
                    user_id=user_id,
                    role=data["role"],
                    unit_id=unit_id,
                )
            except DomainError as error:
                failures.append((change.row, "", str(error.message)))
            except ValidationError as error:
                failures.append((change.row, "", " ".join(error.messages)))
        return failures
