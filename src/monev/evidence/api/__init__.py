"""Evidence (data dukung) through the API: the institution's library with search, uploads
(multipart) and links (JSON), an item's description, versions and download, linking evidence
to an answer's levels, an answer's readiness checks and a period's (readiness.py).

The same selectors and services as the pages, so the same permissions: an item the caller may
not see answers 404. A file over the size limit answers 413, a refused file 422 with the reason,
and a file already in the library 409 with `error.existing` saying where it is.
"""

from monev.evidence.api import answers, items, library, readiness  # noqa: F401  (their handlers register)
from monev.evidence.api.routers import router

__all__ = ["router"]
