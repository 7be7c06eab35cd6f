"""The PDF reports for leadership: the full period report and its one-page summary."""

from monev.reports.pdf.render import pdf_filename, period_report_pdf, period_summary_pdf

__all__ = ["pdf_filename", "period_report_pdf", "period_summary_pdf"]
