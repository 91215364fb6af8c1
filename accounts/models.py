"""Users: email login, a role, and for factory contacts the one supplier they belong to."""

import zoneinfo
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from .languages import offered_language
from .roles import STAFF_ROLES, Role, role_can

TIMEZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class UserManager(BaseUserManager):
    """Create users by email."""

    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        """Create a user with a normalised email and a hashed password."""
        if not email:
            raise ValueError("An email address is required.")
        if "language" in extra:
            extra["language"] = offered_language(extra["language"])
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        """Create an administrator who may also use /admin/."""
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: staff of the buying company, or a factory contact of one supplier."""

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PROCUREMENT)
    supplier = models.ForeignKey(
        "suppliers.Supplier",
        verbose_name=_("supplier"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="portal_users",
        help_text=_("Only for factory contacts: the one company whose portal they use."),
    )
    timezone = models.CharField(_("timezone"), max_length=64, choices=TIMEZONE_CHOICES, default="UTC")
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("admin site access"), default=False, help_text=_("May sign in to /admin/.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=dj_timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        constraints = [
            # A factory contact belongs to exactly one supplier; staff belong to none.
            models.CheckConstraint(
                condition=(
                    Q(role=Role.SUPPLIER, supplier__isnull=False)
                    | (~Q(role=Role.SUPPLIER) & Q(supplier__isnull=True))
                ),
                name="user_supplier_iff_supplier_role",
                violation_error_message=_(
                    "A factory contact needs a supplier, and only factory contacts have one."
                ),
            ),
            # Factory contacts never get into /admin/.
            models.CheckConstraint(
                condition=~Q(role=Role.SUPPLIER, is_staff=True),
                name="user_supplier_not_admin_staff",
                violation_error_message=_("A factory contact cannot have admin site access."),
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def get_full_name(self):
        return self.full_name

    @property
    def is_portal_user(self) -> bool:
        """Return whether this user is a factory contact who uses the supplier portal."""
        return self.role == Role.SUPPLIER

    @property
    def is_staff_member(self) -> bool:
        """Return whether this user works for the buying company (any staff role)."""
        return self.role in STAFF_ROLES

    @property
    def mfa_required(self) -> bool:
        """Return whether this user may use the app only with a second factor (managers, administrators)."""
        return self.role in settings.FORGELINE_MFA_REQUIRED_ROLES or self.is_staff or self.is_superuser

    def can(self, capability: str) -> bool:
        """Return whether this active user holds a capability of the role matrix."""
        return self.is_active and role_can(self.role, capability)


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the tokens a user may list and revoke: their own."""
        return self.filter(user=user) if user.is_authenticated else self.none()

    def usable(self, *, today):
        """Return tokens that are neither revoked nor past their last day."""
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        )


class ApiToken(models.Model):
    """A named API key of one user; only its SHA-256 hash is stored, the key itself is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        _("key prefix"), max_length=8, editable=False, help_text=_("The first characters of the key.")
    )
    created_at = models.DateTimeField(_("created"), default=dj_timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    expires_on = models.DateField(
        _("expires on"),
        null=True,
        blank=True,
        help_text=_("The last day the token works (UTC)."),
        # The same calendar bounds as core.inputs.DATE_BOUNDS (accounts sits below core, so they are spelled here).
        validators=[MinValueValidator(date(2000, 1, 1)), MaxValueValidator(date(2100, 12, 31))],
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, *, today) -> bool:
        """Return whether the token is neither revoked nor past its last day."""
        return self.revoked_at is None and (self.expires_on is None or self.expires_on >= today)


class CalendarFeed(models.Model):
    """A user's private calendar feed address (iCalendar): whoever holds the link reads the feed, so it is long,
    random, shown only to its owner on the profile, and can be regenerated (the old link stops working) or revoked.

    The token is kept as it is (not hashed) so that the profile can show the address again, as calendar services
    do with their "secret address"; it grants read access to this one feed and nothing else.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=dj_timezone.now, editable=False)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.user} ({self.token[:6]}…)"
