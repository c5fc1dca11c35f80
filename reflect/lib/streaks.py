"""Writing streaks from the days a person wrote: pure, no ORM, no time zones.

The caller passes calendar days already in the writer's own time zone (an entry's
`written_on`) and "today" in that same zone, so a back-dated entry counts for its day.
"""

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from operator import sub

ONE_DAY = timedelta(days=1)


def streaks(days: Iterable[date], today: date) -> tuple[int, int]:
    """(current, longest): runs of consecutive days written.

    The current streak is the run that reaches today, or yesterday while today is still
    unwritten (the day is not over yet); otherwise it is 0. Days after `today` (a person who
    moved west of where they wrote) belong to whichever run they touch.
    """
    ordinals = sorted({day.toordinal() for day in days})
    if not ordinals:
        return 0, 0
    # Along a run of consecutive days, a day's ordinal less its index is the same number:
    # counting those numbers gives every run's length in one pass (no loop in Python).
    runs = Counter(map(sub, ordinals, range(len(ordinals))))
    longest = max(runs.values())
    for day in (today.toordinal(), today.toordinal() - 1):
        index = bisect_left(ordinals, day)
        if index < len(ordinals) and ordinals[index] == day:
            return runs[day - index], longest
    return 0, longest
