import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone


def valid_time_zones() -> set[str]:
    return zoneinfo.available_timezones()


def counts_in_teams(user_ref: str = "user_id", requirement: str | None = None) -> Q | Exists:
    """The condition (on the user id at `user_ref`) for a person to count towards a team's
    threshold, per `requirement` (by default TEAM_COUNT_REQUIRES; a team invitation may ask
    its own): a verified address, or an account linked to the organisation's identity
    provider, so that a manager cannot fill a team with invented people."""
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    requirement = requirement or settings.TEAM_COUNT_REQUIRES
    if requirement == "verified":
        verified = EmailAddress.objects.filter(user_id=OuterRef(user_ref), verified=True)
        return Exists(verified)
    if requirement == "sso":
        return Exists(SocialAccount.objects.filter(user_id=OuterRef(user_ref), provider="sso"))
    return Q()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required")
        from allauth.account.models import EmailAddress

        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        with transaction.atomic(using=self._db):
            user.save(using=self._db)
            # An account made by an operator (createsuperuser, seed_demo) or a script has an
            # address vouched for by them; people signing up verify theirs (allauth).
            EmailAddress.objects.using(self._db).create(
                user=user, email=user.email, verified=True, primary=True
            )
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who writes. Signs in with an email address; dates are shown in `time_zone`."""

    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=80, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def local_now(self):
        return timezone.now().astimezone(self.tz)

    def today(self):
        """The date it is now where this person lives."""
        return self.local_now().date()

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)


class ThrottleEvent(models.Model):
    """One counted event (a failed login, a mail sent) under a hashed key.

    Rows rather than a cache: several processes count the same events, parallel requests
    never overwrite each other's count, and the window slides exactly (see throttle.py).
    Keys are HMACs, so the table holds no email or client address in the clear."""

    scope = models.CharField(max_length=32)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["scope", "key", "at"], name="throttle_lookup"),
            models.Index(fields=["scope", "at"], name="throttle_expiry"),
        ]
