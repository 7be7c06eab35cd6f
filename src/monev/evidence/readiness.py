"""Readiness checks: what an assessor would reject in an answer's evidence, found before the
answer is submitted. Each check, its code and severity: docs/evidence.md, "Readiness checks"."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.db.models.functions import Substr
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from monev.core.evidence_rules import claimed_level, lacks_evidence
from monev.core.evidence_terms import EvidenceTerms, bundled_terms
from monev.core.model import Indicator, Instrument
from monev.evaluations.models import Answer, Milestone, Period
from monev.evaluations.period_instrument import instrument_of
from monev.evaluations.selectors import Flag
from monev.evidence import text_checks
from monev.evidence.models import Evidence, EvidenceLink, EvidenceVersion, StoredFile
from monev.institutions.clock import now_for
from monev.lib.errors import NotFound

Kind = Evidence.Kind
TextStatus = StoredFile.TextStatus

DRAFT_WORDS = ("rancangan", "draf", "draft", "konsep")
# Letters and digits only: "draf_perwal.pdf" and "DRAFT-2" read as drafts, "konsepsi" does not.
DRAFT_PATTERN = re.compile(r"(?<![a-z0-9])(rancangan|draft?|konsep)(?![a-z0-9])", re.IGNORECASE)
DRAFT_HEAD = 800  # characters of extracted text read for the draft check
OLD_YEARS = 5
POLICY_KINDS = (Kind.REGULATION, Kind.SOP)
CURRENT_PRACTICE_KINDS = (Kind.REPORT, Kind.MINUTES, Kind.SCREENSHOT)


class Severity:
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
    LABELS = {ERROR: _("Error"), WARNING: _("Warning"), INFO: _("Note")}


# code -> (severity, message). Messages take their values by name; see Check.message.
CHECKS = {
    "no_evidence": (
        Severity.ERROR,
        _("Level %(level)s is claimed but no evidence is linked at that level or below."),
    ),
    "level_gap": (
        Severity.WARNING,
        _(
            "The criteria are cumulative, but no evidence is linked at level(s) %(levels)s, "
            "below or at the claimed level %(level)s."
        ),
    ),
    "linked_above_claim": (
        Severity.WARNING,
        _(
            "“%(title)s” is linked only at level(s) %(levels)s, above the claimed level "
            "%(level)s, so it supports nothing claimed: claim the higher level if its criteria "
            "are met, or link it at the level it supports."
        ),
    ),
    "policy_no_number": (
        Severity.ERROR,
        _(
            "“%(title)s” has no document number: from level 2 on, a policy must be "
            "enacted (numbered and signed)."
        ),
    ),
    "policy_no_date": (
        Severity.ERROR,
        _(
            "“%(title)s” has no document date: from level 2 on, a policy must be "
            "enacted (dated and signed)."
        ),
    ),
    "policy_draft": (
        Severity.ERROR,
        _(
            "“%(title)s” reads as a draft (“%(word)s” in its %(where)s): "
            "a draft supports level 1 only, but it is linked at level(s) %(levels)s. Link the "
            "enacted regulation there."
        ),
    ),
    "dated_after_deadline": (
        Severity.ERROR,
        _("“%(title)s” is dated %(date)s, after the evidence deadline of %(deadline)s."),
    ),
    "dated_in_future": (
        Severity.ERROR,
        _("“%(title)s” is dated %(date)s, which is after today: check the date."),
    ),
    "dated_long_before": (
        Severity.WARNING,
        _(
            "“%(title)s” is dated %(date)s, more than %(years)s years before the "
            "period's year: reports, minutes and screenshots should show current practice."
        ),
    ),
    "conflicting_claims": (
        Severity.WARNING,
        _(
            "The file of “%(title)s” is also the evidence “%(other)s”, "
            "with a different %(fields)s: the same document is described in two ways."
        ),
    ),
    "file_empty": (
        Severity.ERROR,
        _("The file of “%(title)s” is empty: upload the document again."),
    ),
    "file_unreadable": (
        Severity.WARNING,
        _(
            "The file of “%(title)s” could not be read: it may be damaged. Check "
            "that it opens, and upload it again if it does not."
        ),
    ),
    "no_text_layer": (
        Severity.WARNING,
        _(
            "“%(title)s” is a PDF without text (a scan?): the assessors cannot "
            "search it. Upload a PDF saved from the original document, if there is one."
        ),
    ),
    "extraction_pending": (
        Severity.INFO,
        _("The text of “%(title)s” is still being extracted: the checks that read it may change."),
    ),
    "single_screenshot": (
        Severity.WARNING,
        _(
            "Level %(level)s is claimed for a service but only one screenshot is linked: show "
            "each level's function in use, not only the login page."
        ),
    ),
    "link_without_access_notes": (
        Severity.WARNING,
        _(
            "The application link “%(title)s” has no access notes: give the assessors "
            "a test account (user name and password) to try it."
        ),
    ),
}

CHECKS.update(
    {
        "ikasandi_missing": (
            Severity.ERROR,
            _(
                "No IKASANDI result (BSSN) is linked: this indicator needs one dated no more "
                "than %(months)s months before %(when)s."
            ),
        ),
        "ikasandi_no_date": (
            Severity.ERROR,
            _(
                "The IKASANDI result “%(title)s” has no document date: it must be no older "
                "than %(months)s months, so give its date."
            ),
        ),
        "ikasandi_too_old": (
            Severity.ERROR,
            _("The IKASANDI result dated %(date)s is older than %(months)s months %(when)s."),
        ),
    }
)

CHECKS.update(text_checks.CHECKS)

FIELD_NAMES = {
    "kind": _("kind"),
    "document_number": _("document number"),
    "document_date": _("document date"),
}
WHERE_NAMES = {"title": _("title"), "text": _("text")}
READ_FROM_TEXT = _("read from the text")


@dataclass(frozen=True)
class Check:
    code: str
    params: dict = field(default_factory=dict, hash=False, compare=False)
    levels: tuple[int, ...] = ()
    evidence_ids: tuple[int, ...] = ()

    @property
    def severity(self) -> str:
        return CHECKS[self.code][0]

    @property
    def severity_label(self):
        return Severity.LABELS[self.severity]

    @property
    def level(self) -> int | None:
        return self.levels[0] if self.levels else None

    @property
    def message(self) -> str:
        """In the language active when it is read (the page's, the API caller's)."""
        return str(CHECKS[self.code][1]) % {
            key: str(value) if not isinstance(value, str) else value
            for key, value in self.params.items()
        }

    def __str__(self) -> str:
        return self.message


@dataclass
class ChecklistLevel:
    level: int
    name: str  # the level's name in the indicator's scale, if any
    expected: str  # what the instrument expects as evidence at this level ("" if not listed)
    evidence: list[Evidence]
    claimed: bool  # at or below the claimed level

    @property
    def present(self) -> bool:
        return bool(self.evidence)


@dataclass
class Readiness:
    answer: Answer
    indicator: Indicator
    claimed: int | None
    checks: list[Check]
    checklist: list[ChecklistLevel]
    evidence: dict[int, Evidence]  # the linked evidence items by id

    @property
    def errors(self) -> list[Check]:
        return [c for c in self.checks if c.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.checks if c.severity == Severity.WARNING]

    @property
    def ready(self) -> bool:
        return not self.errors


@dataclass
class AnswerEvidence:
    count: int  # distinct evidence items linked
    levels: frozenset[int]  # the levels they are linked at


def evidence_by_answer(period_id: int) -> dict[int, AnswerEvidence]:
    """answer id -> how many evidence items support it and at which levels (one query)."""
    items: dict[int, set[int]] = {}
    levels: dict[int, set[int]] = {}
    # No ordering: the model's default would join the answer's period and sort, for nothing.
    links = EvidenceLink.objects.filter(answer__period_id=period_id).order_by()
    for answer_id, level, evidence_id in links.values_list("answer_id", "level", "evidence_id"):
        items.setdefault(answer_id, set()).add(evidence_id)
        levels.setdefault(answer_id, set()).add(level)
    return {
        answer_id: AnswerEvidence(len(ids), frozenset(levels[answer_id]))
        for answer_id, ids in items.items()
    }


def add_overview_evidence(period: Period, rows: list) -> None:
    """Each overview row's evidence count, and the no_evidence flag where the claimed level has
    no evidence at or below it (evaluations.hooks.overview_rows; one query of the links)."""
    linked = evidence_by_answer(period.pk)
    for row in rows:
        evidence = linked.get(row.answer.pk)
        row.evidence_count = evidence.count if evidence else 0
        if lacks_evidence(row.answer.level, evidence.levels if evidence else ()):
            row.flags.append(Flag("no_evidence", _("No evidence at or below the claimed level")))


# --- loading ------------------------------------------------------------------------------------


@dataclass
class _Period:
    period: Period
    instrument: Instrument
    deadline: dt.date | None
    links: dict[int, list[EvidenceLink]]  # answer id -> links, with their evidence
    latest: dict[int, EvidenceVersion]  # evidence id -> latest version (file, text head)
    twins: dict[int, list[Evidence]]  # file id -> evidence whose current version it is
    terms: EvidenceTerms | None  # the instrument's evidence terms (text_checks)


def _deadline(milestones) -> dt.date | None:
    due = {m.kind: m.due_at for m in milestones}
    for kind in (Milestone.Kind.EVIDENCE_DEADLINE, Milestone.Kind.SELF_ASSESSMENT_CLOSE):
        if kind in due:
            return timezone.localdate(due[kind])
    return None


@dataclass(frozen=True, slots=True)
class CheckedEvidence:
    """What the checks read of an evidence item: a period's thousands of links are read as
    these (answers_checks), not as the model rows the answer page shows."""

    pk: int
    title: str
    kind: str
    document_number: str
    document_date: dt.date | None
    access_notes: str
    read_fields: list


@dataclass(frozen=True, slots=True)
class CheckedLink:
    answer_id: int
    evidence_id: int
    level: int
    evidence: CheckedEvidence


def _checked_links(rows) -> list[CheckedLink]:
    """The links as tuples of the checked columns, one CheckedEvidence per evidence item."""
    evidence: dict[int, CheckedEvidence] = {}
    links = []
    for answer_id, evidence_id, level, *fields in rows.values_list(
        "answer_id",
        "evidence_id",
        "level",
        "evidence__title",
        "evidence__kind",
        "evidence__document_number",
        "evidence__document_date",
        "evidence__access_notes",
        "evidence__read_fields",
    ):
        item = evidence.get(evidence_id) or evidence.setdefault(
            evidence_id, CheckedEvidence(evidence_id, *fields)
        )
        links.append(CheckedLink(answer_id, evidence_id, level, item))
    return links


def _load(period: Period, links_query, *, lean: bool = False) -> _Period:
    """Four queries: milestones (none where they are prefetched), links with evidence, latest
    versions with files and the head of their text, and the institution's other evidence
    sharing those files. The last two select through subqueries of the links, so they run
    whether or not anything is linked: the count stays the same as evidence is added.
    `lean`: the links with the checked columns only (CheckedLink), not model rows."""
    deadline = _deadline(period.milestones.all())
    links: dict[int, list[EvidenceLink]] = {}
    rows = links_query.select_related("evidence").order_by("level", "evidence__title")
    for link in _checked_links(rows) if lean else rows:
        links.setdefault(link.answer_id, []).append(link)
    linked = links_query.order_by().values("evidence_id")
    latest: dict[int, EvidenceVersion] = {}
    versions = (
        EvidenceVersion.objects.filter(evidence_id__in=linked)
        .select_related("file")
        .annotate(text_head=Substr("file__extracted__text", 1, DRAFT_HEAD))
        .order_by("evidence_id", "-number")
    )
    for version in versions:
        latest.setdefault(version.evidence_id, version)
    newer = EvidenceVersion.objects.filter(
        evidence_id=OuterRef("evidence_id"), number__gt=OuterRef("number")
    )
    latest_files = (
        EvidenceVersion.objects.filter(evidence_id__in=linked)
        .annotate(superseded=Exists(newer))
        .filter(superseded=False)
        .order_by()
        .values("file_id")
    )
    twins: dict[int, list[Evidence]] = {}
    current = (
        EvidenceVersion.objects.filter(
            file_id__in=latest_files, evidence__institution_id=period.institution_id
        )
        .annotate(superseded=Exists(newer))
        .filter(superseded=False)
        .select_related("evidence")
        .order_by("evidence__title", "evidence_id")
    )
    for version in current:
        twins.setdefault(version.file_id, []).append(version.evidence)
    instrument = instrument_of(period)
    return _Period(
        period, instrument, deadline, links, latest, twins, terms=bundled_terms(instrument)
    )


# --- the checks ---------------------------------------------------------------------------------


def _levels_text(levels) -> str:
    return ", ".join(str(level) for level in sorted(levels))


def _draft_word(text: str) -> str | None:
    match = DRAFT_PATTERN.search(text or "")
    return match.group(1) if match else None


def _differences(one: Evidence, other: Evidence) -> list[str]:
    return [name for name in FIELD_NAMES if getattr(one, name) != getattr(other, name)]


def _evidence_checks(data: _Period, evidence: Evidence, levels: set[int], indicator, today):
    """The checks about one linked evidence item, whatever else is linked."""
    checks = []
    title = evidence.title
    ids = (evidence.pk,)
    above_level_1 = sorted(level for level in levels if level > 1)
    version = data.latest.get(evidence.pk)

    if indicator.kind == "kebijakan" and evidence.kind in POLICY_KINDS and above_level_1:
        on = tuple(above_level_1)
        if not evidence.document_number:
            checks.append(Check("policy_no_number", {"title": title}, on, ids))
        if not evidence.document_date:
            checks.append(Check("policy_no_date", {"title": title}, on, ids))
        where, word = "title", _draft_word(title)
        if word is None and version is not None:
            where, word = "text", _draft_word(version.text_head)
        if word is not None:
            params = {
                "title": title,
                "word": word,
                "where": WHERE_NAMES[where],
                "levels": _levels_text(on),
            }
            checks.append(Check("policy_draft", params, on, ids))

    date = evidence.document_date
    if date is not None:
        params = {"title": title, "date": date.isoformat()}
        if "document_date" in (evidence.read_fields or ()):
            params["date"] = format_lazy("{} ({})", date.isoformat(), READ_FROM_TEXT)
        if data.deadline is not None and date > data.deadline:
            params["deadline"] = data.deadline.isoformat()
            checks.append(Check("dated_after_deadline", params, (), ids))
        elif date > today:
            checks.append(Check("dated_in_future", params, (), ids))
        oldest = dt.date(data.period.year - OLD_YEARS, 1, 1)
        if evidence.kind in CURRENT_PRACTICE_KINDS and date < oldest:
            checks.append(Check("dated_long_before", {**params, "years": OLD_YEARS}, (), ids))

    if version is not None:
        stored = version.file
        for other in data.twins.get(stored.pk, ()):
            if other.pk != evidence.pk and (fields := _differences(evidence, other)):
                params = {
                    "title": title,
                    "other": other.title,
                    "fields": format_lazy(
                        ", ".join(["{}"] * len(fields)), *(FIELD_NAMES[n] for n in fields)
                    ),
                }
                checks.append(Check("conflicting_claims", params, (), (evidence.pk, other.pk)))
        if stored.size == 0:
            checks.append(Check("file_empty", {"title": title}, (), ids))
        elif stored.text_status == TextStatus.FAILED:
            checks.append(Check("file_unreadable", {"title": title}, (), ids))
        elif stored.text_status == TextStatus.NO_TEXT_LAYER and stored.kind == "pdf":
            checks.append(Check("no_text_layer", {"title": title}, (), ids))
        elif stored.text_status in TextStatus.waiting():
            checks.append(Check("extraction_pending", {"title": title}, (), ids))

    if evidence.kind == Kind.APP_LINK and not evidence.access_notes.strip():
        checks.append(Check("link_without_access_notes", {"title": title}, (), ids))
    if finding := text_checks.off_topic(data.terms, indicator, evidence, version):
        checks.append(Check(*finding))
    checks.extend(Check(*finding) for finding in text_checks.contradicting(evidence, version))
    return checks


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier; where that month is shorter, its last
    day (31 March - 1 month = 28 or 29 February)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


class LongDate:
    """A date written out in the language active when the message is read (3 Maret 2025)."""

    def __init__(self, day: dt.date) -> None:
        self.day = day

    def __str__(self) -> str:
        return formats.date_format(self.day, "j F Y")


def _reference_words(data: _Period, today: dt.date):
    if data.deadline is not None:
        return format_lazy(_("at the deadline of {}"), LongDate(data.deadline))
    return format_lazy(_("today ({})"), LongDate(today))


def _external_evidence_checks(data: _Period, indicator, by_evidence, today) -> list[Check]:
    """The other agency's result an indicator needs as evidence, with its age (IKASANDI)."""
    external = indicator.external
    if external is None or external.mode != "evidence" or not external.max_age_months:
        return []
    months = external.max_age_months
    reference = data.deadline or today
    oldest = months_before(reference, months)
    when = _reference_words(data, today)
    results = [e for e, _levels in by_evidence.values() if e.kind == Kind.IKASANDI]
    if not results:
        return [Check("ikasandi_missing", {"months": months, "when": when})]
    checks = [
        Check("ikasandi_no_date", {"title": e.title, "months": months}, (), (e.pk,))
        for e in results
        if e.document_date is None
    ]
    dated = [e for e in results if e.document_date is not None]
    if dated and all(e.document_date < oldest for e in dated):
        newest = max(dated, key=lambda e: (e.document_date, e.pk))
        params = {"date": LongDate(newest.document_date), "months": months, "when": when}
        checks.append(Check("ikasandi_too_old", params, (), (newest.pk,)))
    return checks


def _screenshots(data: _Period, items: list[Evidence]) -> int:
    """How many screenshots: one per image, one per page of a PDF of screenshots."""
    count = 0
    for evidence in items:
        version = data.latest.get(evidence.pk)
        pages = version.file.page_count if version and version.file.kind == "pdf" else None
        count += max(pages or 1, 1)
    return count


def _answer_checks(data: _Period, answer: Answer, indicator: Indicator, today) -> list[Check]:
    instrument = data.instrument
    claimed = claimed_level(answer.level)
    links = data.links.get(answer.pk, [])
    by_evidence: dict[int, tuple[Evidence, set[int]]] = {}
    for link in links:
        by_evidence.setdefault(link.evidence_id, (link.evidence, set()))[1].add(link.level)
    linked_levels = {link.level for link in links}
    checks: list[Check] = []

    if claimed is not None and claimed >= 1:
        if lacks_evidence(claimed, linked_levels):
            checks.append(Check("no_evidence", {"level": claimed}, (claimed,)))
        elif instrument.cumulative_criteria:
            first = max(instrument.scale.min, 1)
            missing = [lv for lv in range(first, claimed + 1) if lv not in linked_levels]
            if missing:
                params = {"levels": _levels_text(missing), "level": claimed}
                checks.append(Check("level_gap", params, tuple(missing)))
        for evidence, levels in by_evidence.values():
            if min(levels) > claimed:
                params = {"title": evidence.title, "levels": _levels_text(levels), "level": claimed}
                checks.append(
                    Check("linked_above_claim", params, tuple(sorted(levels)), (evidence.pk,))
                )
        if indicator.kind == "layanan" and claimed >= 2:
            shots = [
                evidence
                for evidence, levels in by_evidence.values()
                if evidence.kind == Kind.SCREENSHOT and min(levels) <= claimed
            ]
            if len(shots) == 1 and _screenshots(data, shots) == 1:
                ids = (shots[0].pk,)
                checks.append(Check("single_screenshot", {"level": claimed}, (claimed,), ids))

    if claimed is not None:
        checks.extend(_external_evidence_checks(data, indicator, by_evidence, today))
        documents = [
            data.latest.get(evidence.pk)
            for evidence, levels in by_evidence.values()
            if min(levels) <= claimed
        ]
        for finding in text_checks.missing_elements(data.terms, indicator, claimed, documents):
            checks.append(Check(*finding))

    seen_pairs = set()
    for evidence, levels in by_evidence.values():
        for check in _evidence_checks(data, evidence, levels, indicator, today):
            if check.code == "conflicting_claims":
                pair = frozenset(check.evidence_ids)
                if pair in seen_pairs:
                    continue  # both items are linked here: say it once
                seen_pairs.add(pair)
            checks.append(check)
    order = list(CHECKS)
    checks.sort(key=lambda c: (Severity.ORDER[c.severity], order.index(c.code), c.evidence_ids))
    return checks


def _indicator(instrument: Instrument, answer: Answer) -> Indicator:
    item = instrument.items_by_number[answer.indicator]
    return instrument.indicators_by_number[item.indicator]


def _checklist(data: _Period, answer: Answer, indicator: Indicator) -> list[ChecklistLevel]:
    instrument = data.instrument
    claimed = claimed_level(answer.level)
    scale = instrument.level_scales_by_code.get(indicator.level_scale)
    at: dict[int, list[Evidence]] = {}
    for link in data.links.get(answer.pk, []):
        at.setdefault(link.level, []).append(link.evidence)
    return [
        ChecklistLevel(
            level=level,
            name=scale.level_name(level) if scale else "",
            expected=indicator.evidence.get(level, ""),
            evidence=at.get(level, []),
            claimed=claimed is not None and level <= claimed,
        )
        for level in range(max(instrument.scale.min, 1), instrument.scale.max + 1)
    ]


# --- the entry points ---------------------------------------------------------------------------


def answer_readiness(answer_id: int, *, now: dt.datetime | None = None) -> Readiness:
    """The checks and the per-level checklist of one answer (five queries). Permission checks
    are the caller's: read the answer through answer_for_user first."""
    answer = Answer.objects.select_related("period__institution").filter(pk=answer_id).first()
    if answer is None:
        raise NotFound(_("Answer not found."))
    data = _load(answer.period, EvidenceLink.objects.filter(answer_id=answer.pk))
    today = timezone.localdate(now or now_for(answer.period.institution))
    indicator = _indicator(data.instrument, answer)
    evidence = {link.evidence_id: link.evidence for link in data.links.get(answer.pk, [])}
    return Readiness(
        answer=answer,
        indicator=indicator,
        claimed=claimed_level(answer.level),
        checks=_answer_checks(data, answer, indicator, today),
        checklist=_checklist(data, answer, indicator),
        evidence=evidence,
    )


def period_readiness(period_id: int, *, now: dt.datetime | None = None) -> dict[int, list[Check]]:
    """answer id -> its checks, for every answer of the period (six queries, however many
    answers, links and files)."""
    period = Period.objects.select_related("institution").filter(pk=period_id).first()
    if period is None:
        raise NotFound(_("Period not found."))
    answers = Answer.objects.filter(period=period).only("pk", "indicator", "level", "period_id")
    return answers_checks(period, answers.order_by("position"), now=now)


def answers_checks(
    period: Period, answers: Iterable[Answer], *, now: dt.datetime | None = None
) -> dict[int, list[Check]]:
    """answer id -> its checks, for these answers of the period (each read with at least its
    pk, indicator and level): the institution-wide readiness page, the deadline view and the
    dashboard's count. Four queries however many answers, links and files (three without
    any file); the period's milestones are not read again where they are prefetched."""
    answers = list(answers)
    links = EvidenceLink.objects.filter(answer_id__in=[answer.pk for answer in answers])
    data = _load(period, links, lean=True)
    today = timezone.localdate(now or now_for(period.institution))
    return {
        answer.pk: _answer_checks(data, answer, _indicator(data.instrument, answer), today)
        for answer in answers
    }
