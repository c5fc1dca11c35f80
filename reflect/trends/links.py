"""Links into the trends pages, shared by views and template tags."""

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse


def drill_hrefs(unit: str, range_key: str, tag: str = ""):
    """A fast maker of drill-down links: a page holds up to 1,100 of them, and reverse()
    costs ~50 µs each, so the URL is reversed once and filled in."""
    marker = "1999-09-09"
    before, after = reverse("trends_period", args=[unit, marker]).split(marker)
    tail = "&" + urlencode({"range": range_key, **({"tag": tag} if tag else {})})

    def href(start: date, dimension: str) -> str:
        return f"{before}{start.isoformat()}{after}?dimension={dimension}{tail}"

    return href
