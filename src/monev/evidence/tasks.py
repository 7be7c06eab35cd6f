"""Background jobs of the evidence app (run by `monev worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def extract_file_text(file_id: int) -> str:
    """Extract a stored file's text, then index it for search. Returns the text status."""
    from monev.evidence.extraction import file_text_extract  # the task module stays light

    return file_text_extract(file_id)
