"""Writing streaks from the days a person wrote: pure, no ORM, no time zones.

The caller passes calendar days already in the writer's own time zone (an entry's
`written_on`) and "today" in that same zone, so a back-dated entry counts for its day.
"""

from collections.abc import Iterable
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


def streaks(days: Iterable[date], today: date) -> tuple[int, int]:
    """(current, longest): runs of consecutive days written.

    The current streak is the run that reaches today, or yesterday while today is still
    unwritten (the day is not over yet); otherwise it is 0. Days after `today` (a person who
    moved west of where they wrote) belong to whichever run they touch.
    """
    ordered = sorted(set(days))
    if not ordered:
        return 0, 0
    longest = run = 1
    run_of: dict[date, int] = {}
    run_start = 0
    for i in range(1, len(ordered) + 1):
        if i < len(ordered) and ordered[i] - ordered[i - 1] == ONE_DAY:
            run += 1
            continue
        for day in ordered[run_start:i]:
            run_of[day] = run
        longest = max(longest, run)
        run, run_start = 1, i
    current = run_of.get(today) or run_of.get(today - ONE_DAY) or 0
    return current, longest
