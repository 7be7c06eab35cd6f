"""The demo's data dukung: a few realistic documents of Kota Bandung, uploaded and linked to
answer levels through the evidence services, with their text extracted so search works.

One of them is still a draft (rancangan) linked above level 1 and one report has no date, so
the readiness checks have something to say, as they would in July 2025.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile

from monev.accounts.models import User
from monev.demo import documents
from monev.demo.data import at
from monev.evaluations.models import Period
from monev.evidence import services
from monev.evidence.text_indexing import file_text_extract
from monev.institutions.models import Unit


@dataclass(frozen=True)
class DemoEvidence:
    title: str
    kind: str
    unit: str
    by: str  # username
    number: str = ""
    date: dt.date | None = None
    lines: tuple[str, ...] = ()  # the PDF's text; empty for a screenshot or a link
    screenshot: bool = False
    url: str = ""
    access_notes: str = ""
    links: dict[str, tuple[int, ...]] = field(default_factory=dict)  # indicator -> levels


EVIDENCE = [
    DemoEvidence(
        "Peraturan Wali Kota Bandung tentang Arsitektur SPBE",
        "peraturan",
        "bag-hukum",
        "koordinator",
        "12 Tahun 2024",
        dt.date(2024, 3, 11),
        (
            "PERATURAN WALI KOTA BANDUNG",
            "NOMOR 12 TAHUN 2024",
            "TENTANG",
            "ARSITEKTUR SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK",
            "Pasal 3: Arsitektur SPBE Daerah memuat referensi arsitektur dan domain arsitektur",
            "proses bisnis, data dan informasi, infrastruktur, aplikasi, keamanan, dan layanan.",
        ),
        links={"1": (1, 2, 3), "11": (1, 2)},
    ),
    DemoEvidence(
        "Keputusan Wali Kota tentang Tim Koordinasi SPBE Kota Bandung",
        "peraturan",
        "diskominfo",
        "koordinator",
        "400.14/Kep.155-Diskominfo/2024",
        dt.date(2024, 2, 5),
        (
            "KEPUTUSAN WALI KOTA BANDUNG",
            "NOMOR 400.14/KEP.155-DISKOMINFO/2024",
            "TENTANG TIM KOORDINASI SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK",
            "Tim Koordinasi SPBE diketuai Sekretaris Daerah dengan sekretariat di Diskominfo.",
        ),
        links={"10": (1, 2, 3), "19": (1, 2)},
    ),
    DemoEvidence(
        "Rancangan Peraturan Wali Kota tentang Manajemen Data",
        "peraturan",
        "bag-hukum",
        "koordinator",
        lines=(
            "RANCANGAN PERATURAN WALI KOTA BANDUNG",
            "TENTANG MANAJEMEN DATA",
            "Draf untuk pembahasan bersama perangkat daerah, Juli 2025.",
        ),
        links={"3": (1, 2)},
    ),
    DemoEvidence(
        "SOP Penanganan Insiden Keamanan Informasi",
        "sop",
        "diskominfo",
        "koordinator",
        "SOP/DISKOMINFO/07/2024",
        dt.date(2024, 7, 1),
        (
            "STANDAR OPERASIONAL PROSEDUR",
            "PENANGANAN INSIDEN KEAMANAN INFORMASI",
            "Langkah 1: pelaporan insiden melalui Bandung-CSIRT dalam 1 x 24 jam.",
        ),
        links={"22": (1, 2)},
    ),
    DemoEvidence(
        "Laporan Audit Infrastruktur SPBE",
        "laporan",
        "inspektorat",
        "koordinator",
        lines=(
            "LAPORAN HASIL AUDIT INFRASTRUKTUR SPBE",
            "Inspektorat Daerah Kota Bandung",
            "Temuan: pusat data belum memiliki rencana pemulihan bencana yang diuji.",
        ),
        links={"29": (1,)},
    ),
    DemoEvidence(
        "Notulen Rapat Evaluasi SPBE 22 Juli 2025",
        "notulen",
        "diskominfo",
        "koordinator",
        "",
        dt.date(2025, 7, 22),
        (
            "NOTULEN RAPAT EVALUASI SPBE KOTA BANDUNG",
            "Selasa, 22 Juli 2025",
            "Sekretaris Daerah meminta seluruh perangkat daerah bekerja sama memperbaiki",
            "aspek dengan nilai rendah, terutama audit TIK, sebelum 18 Agustus 2025.",
        ),
        links={"10": (4,)},
    ),
    DemoEvidence(
        "Tangkapan layar e-Office: disposisi naskah dinas",
        "tangkapan_layar",
        "disarpus",
        "koordinator",
        screenshot=True,
        links={"37": (1, 2)},
    ),
    DemoEvidence(
        "Aplikasi SIMPEG Kota Bandung",
        "tautan",
        "bkpsdm",
        "operator",
        url="https://simpeg.bandung.go.id.invalid/",
        access_notes="Akun uji: asesor / dibagikan saat interviu",
        links={"36": (1, 2, 3)},
    ),
]


def load_evidence(period: Period, users: dict[str, User], units: dict[str, Unit]) -> list[int]:
    """Upload and link the demo's evidence; returns the new stored files' ids."""
    institution_id = period.institution_id
    answers = dict(period.answers.values_list("indicator", "pk"))
    stored_ids = []
    moment = at(2025, 7, 21, 10, 0)
    for spec in EVIDENCE:
        actor = users[spec.by]
        if spec.url:
            evidence = services.evidence_create_link(
                actor=actor,
                institution_id=institution_id,
                url=spec.url,
                title=spec.title,
                unit_id=units[spec.unit].pk,
                access_notes=spec.access_notes,
            )
        else:
            content = documents.png() if spec.screenshot else documents.pdf(list(spec.lines))
            name = spec.title[:60].replace(" ", "-") + (".png" if spec.screenshot else ".pdf")
            evidence = services.evidence_upload(
                actor=actor,
                institution_id=institution_id,
                uploaded=SimpleUploadedFile(name, content),
                title=spec.title,
                kind=spec.kind,
                unit_id=units[spec.unit].pk,
                document_number=spec.number,
                document_date=spec.date,
            )
            stored_ids.append(evidence.versions.get().file_id)
        for number, levels in spec.links.items():
            moment += dt.timedelta(minutes=5)
            services.evidence_link(
                actor=actor,
                answer_id=answers[number],
                evidence_id=evidence.pk,
                levels=levels,
                now=moment,
            )
    return stored_ids


def extract_now(file_ids: list[int]) -> None:
    """Extract the demo files' text at once (a real upload waits for `monev worker`)."""
    for file_id in file_ids:
        file_text_extract(file_id)
