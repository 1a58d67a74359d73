"""Pages of lists that may hold a million rows: counted exactly while that is cheap, estimated beyond, never read deep.

Counting every row of a long list costs as much as reading it: COUNT(*) over 300,000 cases takes
longer than the rest of the page. So a list is counted exactly up to `exact_up_to` rows (a count
over a LIMITed subquery, which stops there); past that, PostgreSQL's planner estimates the total
from its statistics (EXPLAIN, no rows read), and other databases say only "more than". Where the
planner already expects ten times that many, its estimate is taken without counting at all: even a
count that stops at 2,000 reads an index of all 90,000 rows first when the planner picks a bitmap
scan for it. Pages are
read with OFFSET, which must step over every earlier row, so only the first `max_rows` rows can be
paged to; a list longer than that asks for narrower filters. Templates say which it is:
`paginator.is_estimate`, `paginator.is_lower_bound`, `paginator.is_cut_short`.
"""

import json
import math
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet

EXACT_COUNT_UP_TO = 2_000
# An estimate this many times the exact limit is trusted without a count: planners are not that wrong.
CLEARLY_HUGE = 10
PAGED_ROWS = 10_000


class BoundedPaginator(Paginator):
    def __init__(
        self,
        object_list,
        per_page: int,
        *,
        exact_up_to: int | None = None,
        max_rows: int | None = None,
        **options,
    ):
        super().__init__(object_list, per_page, **options)
        self.exact_up_to = exact_up_to or EXACT_COUNT_UP_TO
        self.max_rows = max_rows or PAGED_ROWS

    @cached_property
    def _counted(self) -> tuple[int, str]:
        """The count, and what kind it is: "exact", "estimate" or "lower bound"."""
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list), "exact"
        estimate = planner_estimate(self.object_list)
        if estimate is not None and estimate > CLEARLY_HUGE * self.exact_up_to:
            return estimate, "estimate"
        # Only the rows' keys: annotations (a search rank) are not worked out just to be counted.
        counted = self.object_list.order_by().values("pk")[: self.exact_up_to + 1].count()
        if counted <= self.exact_up_to:
            return counted, "exact"
        if estimate is not None and estimate > self.exact_up_to:
            return estimate, "estimate"
        return self.exact_up_to, "lower bound"

    @property
    def count(self) -> int:
        return self._counted[0]

    @property
    def is_estimate(self) -> bool:
        return self._counted[1] == "estimate"

    @property
    def is_lower_bound(self) -> bool:
        """Only known to be more than `count`."""
        return self._counted[1] == "lower bound"

    @cached_property
    def num_pages(self) -> int:
        """The pages that can be shown: all of a short list, the first max_rows' worth of a long one."""
        return min(super().num_pages, max(1, math.ceil(self.max_rows / self.per_page)))

    @property
    def is_cut_short(self) -> bool:
        """More rows than pages to show them on: the list should be narrowed to reach the rest."""
        return self.count > self.num_pages * self.per_page


def planner_estimate(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of the rows a query returns, from EXPLAIN (statistics only); None elsewhere."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    explained = queryset.order_by().explain(format="json")
    if not explained:  # .none(), or pk__in=[]: Django knows it is empty, asks the database nothing, explains nothing
        return 0
    return int(json.loads(explained)[0]["Plan"]["Plan Rows"])
