"""The scroll box around a wide table (`.table-scroll` in monev.css): a table wider than a
phone scrolls inside its own box, which a keyboard user can focus and scroll, and which a screen
reader announces by name."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def table_label(*parts) -> str:
    """The box's accessible name, "Table: <parts joined by ·>": the section around the table is
    often named by the same heading, and two regions with one name are indistinguishable to a
    screen reader (axe's landmark-unique). A table repeated in a loop names its group too."""
    name = " · ".join(str(part) for part in parts if part not in (None, ""))
    return gettext("Table: %(name)s") % {"name": name}
