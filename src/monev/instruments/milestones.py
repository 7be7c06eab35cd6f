"""The kinds of milestone of an evaluation's schedule: an instrument's default schedule
(`schedule:` in its file) names them, and each period's milestones (evaluations.Milestone) are
of one of them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MilestoneKind(models.TextChoices):
    SELF_ASSESSMENT_OPEN = "self_assessment_open", _("Self-assessment opens")
    SELF_ASSESSMENT_CLOSE = "self_assessment_close", _("Self-assessment closes")
    EVIDENCE_DEADLINE = "evidence_deadline", _("Evidence deadline")
    MENTORING = "mentoring", _("Mentoring session with assessors")
    DOCUMENT_REVIEW = "document_review", _("Document review (penilaian dokumen)")
    INTERVIEW = "interview", _("Interview (penilaian interviu)")
    VISITATION = "visitation", _("Site visit (visitasi)")
    ANNOUNCEMENT = "announcement", _("Announcement of results")
    TRIWULAN_1 = "triwulan_1", _("Triwulan I checkpoint")
    TRIWULAN_2 = "triwulan_2", _("Triwulan II checkpoint")
    TRIWULAN_3 = "triwulan_3", _("Triwulan III checkpoint")
    TRIWULAN_4 = "triwulan_4", _("Triwulan IV checkpoint")
