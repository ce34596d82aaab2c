"""Cohort statistics: the queries (one SQL text that DuckDB and Spark SQL both run unchanged),
and what their exact sums become: a mean with a 95 % t-interval, or a suppressed cell.

Each query returns, per cell, the number of people, the sum and the sum of squares of one whole
number per person, so both engines give identical integers; intervals are computed here, once.
Associations in self-selected donors, not proof of cause.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from scipy.special import stdtrit  # type: ignore[import-untyped]  # scipy ships no stubs

_AMOUNT = """amount AS (
  SELECT person_id, SUM(COALESCE(grams_leaf, 0)) AS grams, SUM(use_days) AS days,
         SUM(doses) AS doses
  FROM weekly_uses GROUP BY person_id)"""


def _last(instrument: str, name: str) -> str:
    return f"""{name} AS (
  SELECT person_id, CAST(total AS BIGINT) AS value FROM (
    SELECT person_id, total,
           ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY response_no DESC) AS latest
    FROM responses
    WHERE instrument = '{instrument}' AND complete AND total IS NOT NULL) ranked
  WHERE latest = 1)"""


QUERIES: Final = {
    "phq9_change_by_daily_amount": f"""WITH {_AMOUNT},
ordered AS (
  SELECT person_id, total,
         ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY response_no) AS first_no,
         ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY response_no DESC) AS last_no
  FROM responses WHERE instrument = 'phq9' AND complete AND total IS NOT NULL),
change AS (
  SELECT person_id,
         CAST(MAX(CASE WHEN last_no = 1 THEN total END)
              - MAX(CASE WHEN first_no = 1 THEN total END) AS BIGINT) AS value
  FROM ordered GROUP BY person_id HAVING COUNT(*) >= 2),
banded AS (
  SELECT CASE WHEN a.days IS NULL OR a.days = 0 THEN 'no use'
              WHEN a.grams < 5 * a.days THEN 'under 5 g a day'
              WHEN a.grams < 10 * a.days THEN '5 to 10 g a day'
              ELSE '10 g a day or more' END AS cell, c.value
  FROM change c LEFT JOIN amount a ON a.person_id = c.person_id)
SELECT cell, COUNT(*) AS n, SUM(value) AS total, SUM(value * value) AS squares
FROM banded GROUP BY cell ORDER BY cell""",
    "sows_by_doses_per_day": f"""WITH {_AMOUNT},
{_last("sows", "latest")},
banded AS (
  SELECT CASE WHEN a.doses IS NULL OR a.doses <= a.days THEN '1 dose a day'
              WHEN a.doses <= 2 * a.days THEN '2 doses a day'
              WHEN a.doses <= 3 * a.days THEN '3 doses a day'
              ELSE '4 or more doses a day' END AS cell, l.value
  FROM latest l LEFT JOIN amount a ON a.person_id = l.person_id)
SELECT cell, COUNT(*) AS n, SUM(value) AS total, SUM(value * value) AS squares
FROM banded GROUP BY cell ORDER BY cell""",
    "dependence_by_product_form": f"""WITH forms AS (
  SELECT person_id, main_form, SUM(doses) AS doses FROM weekly_uses
  GROUP BY person_id, main_form),
main AS (
  SELECT person_id, main_form FROM (
    SELECT person_id, main_form,
           ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY doses DESC, main_form) AS rank_no
    FROM forms) ranked
  WHERE rank_no = 1),
{_last("kud_dsm5", "latest")}
SELECT COALESCE(m.main_form, 'none') AS cell, COUNT(*) AS n, SUM(l.value) AS total,
       SUM(l.value * l.value) AS squares
FROM latest l LEFT JOIN main m ON m.person_id = l.person_id
GROUP BY COALESCE(m.main_form, 'none') ORDER BY cell""",
}
OUTCOMES: Final = {
    "phq9_change_by_daily_amount": "PHQ-9 change, last minus first (negative = fewer symptoms)",
    "sows_by_doses_per_day": "latest SOWS total",
    "dependence_by_product_form": "latest kratom use checklist (DSM-5) count",
}


AMOUNT_ORDER: Final = ("no use", "under 5 g a day", "5 to 10 g a day", "10 g a day or more")


def _order(cell: object) -> tuple[int, str]:
    """Daily-amount bands in their natural order; other cells (doses, forms) by name."""
    text = str(cell)
    return (AMOUNT_ORDER.index(text) if text in AMOUNT_ORDER else len(AMOUNT_ORDER), text)


@dataclass(frozen=True)
class Cell:
    cell: str
    n: int
    mean: float | None
    low: float | None
    high: float | None
    suppressed: bool


def summarise(rows: Iterable[Sequence[object]], min_cell: int) -> list[Cell]:
    """(cell, n, sum, sum of squares) rows as means with 95 % t-intervals; a cell of fewer than
    `min_cell` people is suppressed (shown without n or numbers)."""
    found = []
    for cell, n, total, squares in sorted(rows, key=lambda row: _order(row[0])):
        count, s, ss = int(str(n)), int(str(total)), int(str(squares))
        if count < min_cell:
            found.append(Cell(str(cell), 0, None, None, None, True))
            continue
        mean = s / count
        variance = (ss - count * mean * mean) / (count - 1)
        half = float(stdtrit(count - 1, 0.975)) * math.sqrt(max(variance, 0) / count)
        found.append(
            Cell(
                str(cell),
                count,
                round(mean, 4),
                round(mean - half, 4),
                round(mean + half, 4),
                False,
            )
        )
    return found
