"""HTML templates to PDF bytes with WeasyPrint, in the active language (the request's, or
the site's default, Bahasa Indonesia). WeasyPrint is given no way to fetch anything: the
templates carry their styles and charts inline, so user text can never make it read a file
or call a server."""

from __future__ import annotations

import logging
import re
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from monev.evaluations.models import Period
from monev.institutions.permissions import Access
from monev.reports.leader import LeaderSummary, leader_summary
from monev.reports.pdf import charts
from monev.reports.pdf.content import PeriodReport, period_report

# WeasyPrint logs every layout step of every page at INFO: noise in the server's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

REPORT_TEMPLATE = "reports/pdf/report.html"
SUMMARY_TEMPLATE = "reports/pdf/summary.html"


def _no_fetching():
    from weasyprint.urls import URLFetcher

    class NoFetching(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"PDF reports load nothing from outside the document: {url}")

    return NoFetching()


def css_string(text: str) -> str:
    """`text` as a quoted CSS string (for @page margin boxes): quotes, backslashes, line
    breaks and angle brackets escaped, so no text can end the string or the style element."""
    escaped = re.sub(r'[\\"<>\n\r]', lambda m: f"\\{ord(m.group()):x} ", str(text))
    return f'"{escaped}"'


def page_counter_content() -> str:
    """The CSS `content` of "Page X of Y" in the active language, whatever its word order."""
    words = _("Page {page} of {pages}")
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", words):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


def _chart(report: PeriodReport, comparisons, title: str):
    last = report.board.last_year
    return charts.bar_chart(
        charts.comparison_bars(comparisons),
        scale_max=report.instrument.scale.max,
        target=report.period.target,
        last_year=last.year if last else None,
        title=title,
    )


def _common(period: Period, instrument, now: datetime, title_kind: str) -> dict:
    """What every PDF page needs: the title, the running header and footer."""
    title = _("%(kind)s report on the %(index)s") % {
        "kind": period.get_kind_display(),
        "index": instrument.index_name,
    }
    return {
        "period": period,
        "institution": period.institution,
        "instrument": instrument,
        "title": title,
        "document_title": f"{title_kind} · {title}" if title_kind else title,
        "generated_at": timezone.localtime(now),
        "css_institution": css_string(period.institution.name),
        "css_title": css_string(f"{title} · {period.year}"),
        "css_pages": page_counter_content(),
        "css_provisional": css_string(_("Provisional instrument.")),
    }


def _context(report: PeriodReport, title_kind: str) -> dict:
    return {
        **_common(report.period, report.instrument, report.now, title_kind),
        "report": report,
        "board": report.board,
        "headline": report.headline,
        "domain_chart": _chart(report, report.board.domains, _("Domains"))
        if report.board.domains
        else "",
        "aspect_chart": _chart(report, report.board.aspects, _("Aspects"))
        if report.board.aspects
        else "",
        # The caption names the last-year tick only where the charts draw one.
        "last_year_ticks": any(
            c.last_year is not None for c in [*report.board.domains, *report.board.aspects]
        ),
    }


def _summary_context(summary: LeaderSummary) -> dict:
    """The one-page summary: the leader's view (reports.leader), the same figures as the
    screen and the API."""
    headline = summary.headline
    last = headline.last_year
    rows = headline.chart_rows()
    chart = ""
    if rows:
        chart = charts.bar_chart(
            [charts.Bar(f"{code} {name}", score, before) for code, name, score, before in rows],
            scale_max=summary.instrument.scale.max,
            target=headline.target,
            last_year=last.year if last else None,
            title=_("Scores"),
        )
    return {
        **_common(summary.period, summary.instrument, summary.now, _("Summary")),
        "summary": summary,
        "headline": headline,
        "summary_chart": chart,
    }


def render_pdf(template: str, context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango and fonts, which only PDF work needs.
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, url_fetcher=_no_fetching()).write_pdf()


def pdf_filename(period: Period, summary: bool = False) -> str:
    """e.g. laporan-kota-bandung-pemantauan-2025.pdf, ringkasan-... for the summary."""
    stem = "ringkasan" if summary else "laporan"
    return f"{stem}-{slugify(period.institution.code)}-{period.kind}-{period.year}.pdf"


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def period_report_pdf(period: Period, access: Access, *, now: datetime | None = None) -> bytes:
    """The full report for leadership: cover, index and predicate, domain and aspect charts
    against the target and last year, the gap and the plan, unit progress, overdue answers,
    the assessors' recommendations. A4, numbered pages."""
    with translation.override(_language()):
        report = period_report(period, access, now=now)
        return render_pdf(REPORT_TEMPLATE, _context(report, ""))


def period_summary_pdf(period: Period, access: Access, *, now: datetime | None = None) -> bytes:
    """One page, the printable twin of the leader's view (reports.leader): index, predicate,
    target and gap, last year and why they differ, the three sentences, the domain chart, the
    plan's ten biggest steps, the units behind schedule and the key dates."""
    with translation.override(_language()):
        summary = leader_summary(period, access, now=now)
        return render_pdf(SUMMARY_TEMPLATE, _summary_context(summary))
