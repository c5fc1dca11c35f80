import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """Like Reflect's user for its middleware: a time zone the pages are shown in."""

    time_zone = models.CharField(max_length=64, default="UTC")

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Note(models.Model):
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    text = models.TextField()
    written_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["author", "-written_on"], name="note_author_day")]
