"""What is kept how long: one list read by the purge task and by the Sharing page."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings


@dataclass(frozen=True)
class Rule:
    key: str
    setting: str
    what: str  # as a member reads it on their Sharing page

    @property
    def days(self) -> int | None:
        """None: kept forever."""
        return getattr(settings, self.setting)

    def cutoff(self, now: datetime) -> datetime | None:
        """Records from before this moment are past their time (None: nothing ever is)."""
        return None if self.days is None else now - timedelta(days=self.days)


RULES = [
    Rule("trash", "TRASH_DAYS", "Entries you delete stay in the Trash"),
    Rule("revisions", "REVISION_DAYS", "Earlier versions of your entries are kept"),
    Rule("access_log", "ACCESS_LOG_DAYS", "The record of what managers saw of yours is kept"),
    Rule("audit_log", "AUDIT_LOG_DAYS", "The operators' audit log (exports, account deletions, "
         "admin actions) is kept"),
    Rule("highlight_reports", "HIGHLIGHT_REPORT_DAYS", "Highlights you reported as wrong "
         "(the phrase and the rule, to improve the reading) are kept"),
    Rule("task_results", "TASK_RESULT_DAYS", "Records of finished background work are kept"),
]
