"""A scoring result as JSON-ready data (the stable shape of `monev score --format json` and
of the API) and as an aligned text table for people."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from monev.core.engine import Gap, ItemScore, NodeScore, Result
from monev.core.numbers import (
    ExactDecimal,
    display_value,
    exact_fraction,
    exact_str,
    round_fraction,
)

WEAKEST_COUNT = 3


def _node(node: NodeScore, *, with_parent: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"code": node.code, "name": node.name}
    if with_parent:
        data["domain"] = node.parent or None
    data.update(
        weight=exact_str(node.weight),
        score=str(node.score.reported),
        score_exact=exact_str(node.score.exact),
    )
    return data


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def _items(result: Result) -> list[dict[str, Any]]:
    instrument = result.instrument
    shares = instrument.item_shares
    maximum = Decimal(instrument.scale.max)
    items = []
    for item in result.items:
        share = shares[item.number]
        if share is not None and not isinstance(item.value, ExactDecimal):
            # the fast, exact path: value x share in Decimal
            contribution = _plain(item.value * share)
            headroom = _plain((min(item.value + 1, maximum) - item.value) * share)
        else:
            contribution, headroom = exact_str(item.contribution), exact_str(item.headroom)
        items.append(
            {
                "number": item.number,
                "name": item.name,
                "aspect": item.aspect,
                "level": level_shown(result, item),
                "level_exact": exact_str(exact_fraction(item.value)),
                "weight": exact_str(item.weight),
                "contribution": contribution,
                "headroom": headroom,
            }
        )
    return items


def level_shown(result: Result, item: ItemScore) -> str:
    """An indicator value as people read it: as given where it has at most the reported places
    ("3", "2.50"), else rounded once by the instrument's policy (7/6 -> "1.17")."""
    rounding = result.instrument.rounding
    return str(display_value(item.value, rounding.places, rounding.mode))


def result_to_dict(result: Result) -> dict[str, Any]:
    instrument = result.instrument
    return {
        "instrument": instrument.id,
        "instrument_version": instrument.version,
        "provisional": instrument.provisional,
        "basis": result.basis,
        "index": str(result.index.reported),
        "index_exact": exact_str(result.index.exact),
        "predicate": result.predicate.name,
        "index_low": exact_str(result.index_low),
        "index_high": exact_str(result.index_high),
        "predicates_possible": [band.name for band in result.predicates_possible],
        "predicate_other_reading": (
            result.predicate_other_reading.name if result.predicate_other_reading else None
        ),
        "domains": [_node(node, with_parent=False) for node in result.domains],
        "aspects": [_node(node, with_parent=True) for node in result.aspects],
        "indicators": _items(result),
        "filled_with_minimum": list(result.filled_with_minimum),
    }


def gap_to_dict(gap: Gap) -> dict[str, Any]:
    return {
        "target": str(gap.target),
        "reached": gap.reached,
        "shortfall_exact": exact_str(gap.shortfall),
    }


# --- the table ---------------------------------------------------------------------------

BOLD, RED, YELLOW, RESET = "\033[1m", "\033[31m", "\033[33m", "\033[0m"


def _short(value: Fraction, places: int = 4) -> str:
    """A weight or contribution for reading: exact when short, else rounded to 4 places."""
    text = exact_str(value)
    if len(text.partition(".")[2]) <= places:
        return text
    return str(round_fraction(value, places)) + "~"


def _rows(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        parts = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "  ".join(parts).rstrip()

    return [line(header), line(["-" * w for w in widths]), *[line(r) for r in rows]]


def render_table(result: Result, *, color: bool = False, max_name: int = 48) -> str:
    instrument = result.instrument

    def paint(text: str, *codes: str) -> str:
        return "".join(codes) + text + RESET if color else text

    def clip(name: str) -> str:
        return name if len(name) <= max_name else name[: max_name - 1] + "…"

    out: list[str] = []
    title = f"{instrument.name} ({instrument.id} version {instrument.version})"
    out.append(paint(title, BOLD))
    if instrument.provisional:
        out.append(
            paint(
                "PROVISIONAL instrument: weights, bands and criteria are not yet confirmed "
                "against the regulation's text; see `monev instrument show "
                f"{instrument.id}`.",
                YELLOW,
            )
        )
    index_line = (
        f"Index {result.index.reported} (exact {exact_str(result.index.exact)})"
        f"   Predikat: {predicate_text(result)}"
    )
    out += ["", paint(index_line, BOLD)]
    if result.interval is not None and result.index_low != result.index_high:
        out.append(
            f"The inputs are rounded: the exact index lies in {interval_text(result)}"
            + (", so the predicate is not certain." if len(result.predicates_possible) > 1 else ".")
        )
    if result.filled_with_minimum:
        filled = ", ".join(result.filled_with_minimum)
        out.append(f"Scored at the scale minimum because they were missing: {filled}")

    if result.domains:
        rows = [
            [n.code, clip(n.name), _short(n.weight), str(n.score.reported)] for n in result.domains
        ]
        out += ["", *_rows(["Domain", "Name", "Weight", "Score"], rows, {2, 3})]

    weakest = {node.code for node in result.weakest_aspects(WEAKEST_COUNT)}
    if result.aspects:
        rows = []
        for node in result.aspects:
            mark = "<< weakest" if node.code in weakest else ""
            rows.append(
                [node.code, clip(node.name), _short(node.weight), str(node.score.reported), mark]
            )
        table = _rows(["Aspect", "Name", "Weight", "Score", ""], rows, {2, 3})
        table = [
            paint(text, RED) if index >= 2 and rows[index - 2][4] else text
            for index, text in enumerate(table)
        ]
        out += ["", *table]

    if result.items:
        rows = [
            [
                item.number,
                clip(_item_name(result, item)),
                item.aspect,
                level_shown(result, item),
                _short(item.weight),
                _short(item.contribution),
                _short(item.headroom),
            ]
            for item in result.items
        ]
        header = ["No", "Indicator", "Aspect", "Level", "Weight", "Contribution", "+1 level"]
        out += ["", *_rows(header, rows, {3, 4, 5, 6})]
    return "\n".join(out) + "\n"


def predicate_text(result: Result) -> str:
    """ "Cukup atau Baik" where the rounded inputs admit both; on a contested band edge the
    predicate with the other reading ("Cukup (lower-inclusive reading: Baik)"); else the name."""
    if len(result.predicates_possible) > 1:
        return " atau ".join(band.name for band in result.predicates_possible)
    other = result.predicate_other_reading
    if other is None:
        return result.predicate.name
    reading = result.instrument.band_edges.predicates.other.value.replace("_", "-")
    return f"{result.predicate.name} ({reading} reading: {other.name})"


def interval_text(result: Result) -> str:
    """[2.59, 2.6): brackets as in mathematics, an end not reached in parentheses."""
    interval = result.interval
    if interval is None:
        return f"[{exact_str(result.index.exact)}]"
    opening = "[" if interval.low_included else "("
    closing = "]" if interval.high_included else ")"
    return f"{opening}{exact_str(interval.low)}, {exact_str(interval.high)}{closing}"


def _item_name(result: Result, item: ItemScore) -> str:
    indicator = result.instrument.indicators_by_number.get(item.number)
    return indicator.short_name or indicator.name if indicator else item.name
