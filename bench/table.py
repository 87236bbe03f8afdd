"""bench/table.py: the one table of `make bench`, from the rows the benchmark
scripts print (bench/rows.py), as Markdown. Standard library only.

A row is a dict (one JSON line of a script):
    figure       what is measured, e.g. "Export 3,000 identities: wall"
    unit         "ns", "ms", "s", "KiB", "share", "count" or "/s"
    ours         the samples of cognito-tui (list of numbers)
    peer         what it is compared with: a program ("boto3 loop, one
                 client"), a bound ("quota bound") or a target ("target,
                 issue 6"); absent when there is nothing to compare
    peer_values  the peer's samples (one number for a bound or a target)
    kind         "peer" (default), "bound" or "target"
    better       "lower" (default) or "higher": which way is good
    max_ratio    the largest ratio the issue set as a target (1.15 for "within
                 1.15x of the bound", 1 for "ahead of boto3")
    source       where a target or max_ratio comes from ("issue 13")
Every figure is the median of its samples with min-max beside it; the ratio
is ours / peer, medians. Nothing here passes or fails: a missed target
becomes a sentence of the notes.
"""
import statistics

HEADER = ("| figure | ours | peer | peer's figure | ratio (ours / peer) |\n"
          "|---|---:|---|---:|---:|")


def median(values):
    """The median of a non-empty list (the mean of the middle two when even)."""
    if not values:
        raise ValueError("median of no values")
    return statistics.median(values)


def _num(v, unit):
    if unit == "ns":
        return f"{v:,.0f} ns"
    if unit == "ms":
        return f"{v:,.1f} ms" if v >= 10 else f"{v:.2f} ms"
    if unit == "s":
        return f"{v:,.1f} s" if v >= 10 else f"{v:.2f} s"
    if unit == "KiB":
        return f"{v / 1024:,.1f} MiB"
    if unit == "share":
        return f"{v * 100:.1f} %"
    if unit == "/s":
        return f"{v:,.0f}/s"
    if unit == "count":
        return f"{v:,.0f}" if v == int(v) else f"{v:,.1f}"
    return f"{v:g} {unit}"


def figure(values, unit):
    """"median (min-max)" of samples; one sample alone, or all equal, is just the value."""
    m = median(values)
    text = _num(m, unit)
    lo, hi = min(values), max(values)
    if len(values) > 1 and lo != hi:
        text += f" ({_num(lo, unit).split(' ')[0]}–{_num(hi, unit)})"
    return text


def ratio(row):
    """ours / peer, medians; None when there is no peer or the peer's figure is 0."""
    if not row.get("peer_values"):
        return None
    p = median(row["peer_values"])
    return median(row["ours"]) / p if p else None


def missed(row):
    """A sentence when the row misses the target its issue set, else None."""
    r = ratio(row)
    if r is None:
        return None
    lower = row.get("better", "lower") == "lower"
    kind = row.get("kind", "peer")
    src = f" ({row['source']})" if row.get("source") else ""
    ours = _num(median(row["ours"]), row["unit"])
    if kind == "target":
        bad = r > 1 if lower else r < 1
        if bad:
            sign = "<" if lower else ">"
            return (f"{row['figure']}: {ours} misses the target {sign} "
                    f"{_num(median(row['peer_values']), row['unit'])}{src}.")
    elif row.get("max_ratio") is not None and r > row["max_ratio"]:
        of = "the bound" if kind == "bound" else f"{row['peer']}'s"
        return (f"{row['figure']}: {r:.2f}× {of}, over the target of {row['max_ratio']}×{src}.")
    return None


def markdown_row(row):
    r = ratio(row)
    peer = row.get("peer") or "—"
    pv = figure(row["peer_values"], row["unit"]) if row.get("peer_values") else "—"
    if row.get("kind") == "target" and row.get("peer_values"):
        pv = ("< " if row.get("better", "lower") == "lower" else "> ") + pv
    rt = "—" if r is None else (f"{r:.2f}×" if r >= 0.01 or r == 0 else f"{r:.3f}×")
    return f"| {row['figure']} | {figure(row['ours'], row['unit'])} | {peer} | {pv} | {rt} |"


def markdown(rows):
    """The table (header and one line a row, in the order given)."""
    return "\n".join([HEADER] + [markdown_row(r) for r in rows])


def check(row):
    """The row as given if it is well formed, else ValueError naming what is wrong."""
    for key in ("figure", "unit", "ours"):
        if key not in row:
            raise ValueError(f"bench row without {key!r}: {row!r}")
    values = list(row["ours"]) + list(row.get("peer_values") or [])
    if not row["ours"] or not all(isinstance(v, (int, float)) for v in values):
        raise ValueError(f"bench row with no or non-numeric samples: {row!r}")
    if row.get("peer_values") and not row.get("peer"):
        raise ValueError(f"bench row with a peer's figure but no peer: {row!r}")
    return row
