"""The round a page shows (one year, one instrument, computed or published), chosen from
the rounds there is something to show for; who may see the round pages; paging."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.core.model import Instrument
from monev.evaluations.models import Period, PublishedResult
from monev.institutions.models import Institution
from monev.instruments.selectors import instrument_catalog
from monev.lib.errors import Forbidden, InvalidInput, NotFound

KINDS = tuple(Institution.Kind.values)  # pusat, provinsi, kabupaten, kota
COMPUTED, PUBLISHED = "computed", "published"
UNKNOWN_INSTRUMENT = "-"  # asks for the published results whose instrument is not known


def require_evaluator(user) -> None:
    if not (user is not None and user.is_authenticated and getattr(user, "evaluator_scope", "")):
        raise Forbidden(_("Only evaluators (national or provincial) see this page."))


@dataclass(frozen=True)
class RoundOption:
    year: int
    instrument_id: str
    source: str  # computed | published
    count: int

    @property
    def key(self) -> str:
        return f"{self.source}:{self.year}:{self.instrument_id}"


@dataclass(frozen=True)
class Choice:
    year: int
    instrument_id: str
    source: str
    kind: str
    province: str
    options: tuple[RoundOption, ...]
    instrument: Instrument | None
    # The filters asked for that no round matched together with the others, and so were not
    # applied ("instrument", "source"): the page says so instead of showing nothing.
    dropped: tuple[str, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.instrument and self.instrument.provisional)

    @property
    def years(self) -> list[int]:
        return sorted({o.year for o in self.options}, reverse=True)

    @property
    def instruments(self) -> list[str]:
        return sorted({o.instrument_id for o in self.options if o.year == self.year})


def round_instrument(instrument_id: str) -> Instrument | None:
    if not instrument_id:
        return None
    try:
        return instrument_catalog().get(instrument_id)
    except Exception:  # an instrument no longer installed: no bands to show
        return None


def round_options(institutions: QuerySet[Institution], *, published: bool) -> list[RoundOption]:
    """The rounds there is something to show for: computed (periods) and published."""
    options = [
        RoundOption(row["year"], row["instrument_id"], COMPUTED, row["n"])
        for row in Period.objects.filter(institution__in=institutions)
        .values("year", "instrument_id")
        .annotate(n=Count("institution_id", distinct=True))
        .order_by("-year", "instrument_id")
    ]
    if published:
        options += [
            RoundOption(row["year"], row["instrument_id"], PUBLISHED, row["n"])
            for row in PublishedResult.objects.filter(institution__in=institutions)
            .values("year", "instrument_id")
            .annotate(n=Count("id"))
            .order_by("-year", "instrument_id")
        ]
    return options


def choose_round(
    options: list[RoundOption],
    year=None,
    instrument_id=None,
    source=None,
    kind=None,
    province=None,
) -> Choice:
    """The round asked for, checked; by default the latest computed round (else published)."""
    problems = []
    if year not in (None, ""):
        try:
            year = int(str(year).strip())
        except ValueError:
            problems.append({"location": "year", "message": str(_("Give a year, e.g. 2025."))})
            year = None
    else:
        year = None
    source = (source or "").strip() or None
    if source not in (None, COMPUTED, PUBLISHED):
        problems.append(
            {"location": "source", "message": str(_("The source is computed or published."))}
        )
    kind = (kind or "").strip()
    if kind and kind not in KINDS:
        problems.append(
            {
                "location": "kind",
                "message": str(_("The kind is pusat, provinsi, kabupaten or kota.")),
            }
        )
    if problems:
        raise InvalidInput(_("The filters are not valid."), details=problems)
    instrument_id = (instrument_id or "").strip() or None
    if instrument_id == UNKNOWN_INSTRUMENT:
        instrument_id = ""  # published without an instrument
    province = (province or "").strip()

    def matches(option: RoundOption, instrument_id, source) -> bool:
        return (
            (year is None or option.year == year)
            and (instrument_id is None or option.instrument_id == instrument_id)
            and (source is None or option.source == source)
        )

    # Filters that cannot combine give way instead of ending on "nothing to show": the year
    # stays, the instrument goes first (it belongs to the year), then the source.
    asked = {"instrument": instrument_id, "source": source}
    dropped: tuple[str, ...] = ()
    candidates = [o for o in options if matches(o, instrument_id, source)]
    if not candidates:
        for relaxed in (("instrument",), ("instrument", "source")):
            found = [
                o for o in options if matches(o, None, None if "source" in relaxed else source)
            ]
            if found:
                candidates = found
                dropped = tuple(name for name in relaxed if asked[name] is not None)
                break
    # Computed rounds first, then published; latest year first; the largest round first.
    candidates.sort(key=lambda o: (o.source != COMPUTED, -o.year, -o.count, o.instrument_id))
    if candidates:
        chosen = candidates[0]
    elif year is None and instrument_id is None and source is None:
        chosen = RoundOption(timezone.now().year, "", COMPUTED, 0)
    else:
        raise NotFound(_("Nothing to show for this year and instrument."))
    return Choice(
        chosen.year,
        chosen.instrument_id,
        chosen.source,
        kind,
        province,
        tuple(options),
        round_instrument(chosen.instrument_id),
        dropped,
    )


def page_number(page, pages: int) -> int:
    try:
        number = int(page or 1)
    except (TypeError, ValueError):
        raise InvalidInput(
            _("The page is a number."),
            details=[{"location": "page", "message": str(_("Not a number."))}],
        ) from None
    return min(max(number, 1), max(pages, 1))
