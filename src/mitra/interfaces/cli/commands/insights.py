"""`mitra insights`: the dashboard in the terminal, or as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mitra.interfaces.cli.app import state
from mitra.interfaces.cli.output import print_json, stdout

if TYPE_CHECKING:
    from mitra.services.dashboard import Dashboard


def insights(
    ctx: typer.Context,
    weeks: Annotated[int, typer.Option(help="Period to show: 4, 12 or 52 weeks.")] = 4,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Trends, use pattern, questionnaire change and the n-of-1 association, in words."""
    from mitra.services.dashboard import build_dashboard

    dashboard = build_dashboard(state(ctx).mitra(), weeks)
    if as_json:
        print_json(dashboard)
    else:
        for line in summary_lines(dashboard):
            stdout().print(line, markup=False)


def summary_lines(d: Dashboard) -> list[str]:
    lines = [f"Insights, {d.start} to {d.end} ({d.tz}). Associations, not proof of cause."]
    if d.empty:
        lines.append("Not enough data yet: log uses and daily check-ins for a few weeks.")
    lines.append(
        f"Open safety alerts: {len(d.alerts)}" + (" (see `mitra alerts`)" if d.alerts else "")
    )
    lines += [f"  {a.alert.severity.value}: {a.alert.title}" for a in d.alerts]
    lines.append(f"Use, {d.start} to {d.end} ({len(d.days)} whole days):")
    lines += [f"  {label}: {value}" for label, value in d.use.rows]
    if d.use.decomposition:
        lines.append(f"  {d.use.decomposition}")
    lines += [f"  Trend in grams of leaf per day: {sl.describe('g')}" for sl in d.use.slopes]
    lines += [f"  Trend in doses per day: {sl.describe('doses')}" for sl in d.use.dose_slopes]
    lines.append(f"  {d.use.so_far_today}")
    lines.append("Check-ins:")
    for t in d.checkins:
        mean = "no ratings" if t.mean is None else f"average {t.mean:.1f} ({t.days_rated} days)"
        lines.append(f"  {t.scale}: {mean}; " + "; ".join(sl.describe() for sl in t.slopes))
    lines.append("Questionnaires:" if d.questionnaires else "Questionnaires: no results yet.")
    for q in d.questionnaires:
        lines.append(f"  {q.since_first or f'{q.title}: {len(q.points)} complete score(s).'}")
    lines.append(f"Use and how you feel (last {d.nof1_weeks} weeks):")
    for f in d.nof1:
        if f.same_day is None or f.previous_day is None:
            lines.append(f"  {f.outcome}: not enough data yet; missing: " + "; ".join(f.missing))
            continue
        lines += [f"  {f.same_day.sentence}", f"  {f.previous_day.sentence}"]
        lines += [f"  Caveat: {c}" for c in f.caveats]
    effects = ", ".join(f"{e.label} x{e.count}" for e in d.effects) or "none"
    lines.append(f"Adverse effects: {effects}. Vitals recorded: {len(d.vitals)}.")
    return lines
