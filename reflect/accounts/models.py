import zoneinfo
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone


def valid_time_zones() -> set[str]:
    return zoneinfo.available_timezones()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
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


class SignupRequest(models.Model):
    """A sign-up waiting for its owner to open the link we mailed.

    No account exists until then, so an address typed by someone else never becomes an
    account, and the sign-up page answers the same whether the address is known or not."""

    email = models.EmailField()
    display_name = models.CharField(max_length=80, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    password = models.CharField(max_length=128)  # a hash, made before we knew which path
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="signup_request_age")]

    def __str__(self) -> str:
        return f"sign-up request {self.pk}"


SIGNUP_LINK_DAYS = 3


def request_signup(
    email: str, password: str, display_name: str, time_zone: str
) -> SignupRequest | None:
    """Keep a sign-up until its link is opened; None when the address already has an account.

    The password is hashed on both paths, so the answer takes as long either way."""
    from django.contrib.auth.hashers import make_password

    hashed = make_password(password)
    with transaction.atomic():
        cutoff = timezone.now() - timedelta(days=SIGNUP_LINK_DAYS)
        SignupRequest.objects.filter(created_at__lt=cutoff).delete()
        if User.objects.filter(email__iexact=email).exists():
            return None
        return SignupRequest.objects.create(
            email=email.lower(), password=hashed, display_name=display_name, time_zone=time_zone
        )


def confirm_signup(pending: SignupRequest) -> User | None:
    """Turn a confirmed sign-up into the account; None if the address got one meanwhile."""
    try:
        with transaction.atomic():
            SignupRequest.objects.filter(email__iexact=pending.email).delete()
            if User.objects.filter(email__iexact=pending.email).exists():
                return None
            user = User(
                email=pending.email,
                password=pending.password,
                display_name=pending.display_name,
                time_zone=pending.time_zone,
            )
            user.save()
            return user
    except IntegrityError:  # two links of one address opened at the same moment
        return None
