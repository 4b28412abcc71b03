from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import validate_phone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("E-post må oppgis")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in with e-mail; what they may do comes from their role assignments."""

    email = models.EmailField(_("e-post"), unique=True)
    full_name = models.CharField(_("navn"), max_length=200, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True, validators=[validate_phone])
    is_active = models.BooleanField(_("aktiv"), default=True)
    is_staff = models.BooleanField(_("tilgang til administrasjonssidene"), default=False)
    date_joined = models.DateTimeField(_("registrert"), default=timezone.now)
    # Raised to end every session of the person at once (see `get_session_auth_hash`).
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        indexes = [
            # the people list's order: a page is read from the index, not sorted from every person (whose
            # two-factor subqueries PostgreSQL would otherwise evaluate for all of them; 6 → 0.1 ms at 2,000)
            models.Index(fields=["full_name", "email", "id"], name="user_list_order_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]

    # Each session stores this hash and Django flushes a session whose hash no longer matches, so raising
    # `session_generation` signs the person out everywhere, whatever the session backend. At 0 it is Django's
    # own hash (of the password), so no session ends when this is deployed.
    def get_session_auth_hash(self) -> str:
        return self._session_hash(None)

    def get_session_auth_fallback_hash(self):
        from django.conf import settings

        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(fallback_secret)

    def _session_hash(self, secret) -> str:
        if not self.session_generation:
            return self._get_session_auth_hash(secret=secret)
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Role(models.TextChoices):
    LEADERSHIP = "leadership", _("Programledelse")
    BOARD_MEMBER = "board_member", _("Fylkesstyre")
    MUNICIPAL_CONTACT = "municipal_contact", _("Kommunekontakt")
    ADVISOR = "advisor", _("Veileder")
    JURY_MEMBER = "jury_member", _("Jurymedlem")


class RoleAssignment(models.Model):
    """One role a person holds, scoped to the object it applies to (a branch, a municipality)."""

    user = models.ForeignKey(User, related_name="role_assignments", on_delete=models.CASCADE)
    role = models.CharField(_("rolle"), max_length=32, choices=Role.choices)
    branch = models.ForeignKey(
        "municipalities.CountyBranch",
        verbose_name=_("fylkesavdeling"),
        related_name="role_assignments",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("kommune"),
        related_name="role_assignments",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role"]
        verbose_name = _("rolle")
        verbose_name_plural = _("roller")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "branch", "municipality"],
                name="unique_role_assignment",
            ),
            models.CheckConstraint(
                name="role_scope_matches_role",
                condition=(
                    models.Q(role="board_member", branch__isnull=False, municipality__isnull=True)
                    | models.Q(role="municipal_contact", municipality__isnull=False, branch__isnull=True)
                    | models.Q(
                        role__in=["leadership", "advisor", "jury_member"],
                        branch__isnull=True,
                        municipality__isnull=True,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.branch or self.municipality
        label = self.get_role_display()
        return f"{label} – {scope}" if scope else str(label)


def role_needs_branch(role: str) -> bool:
    return role == Role.BOARD_MEMBER


def role_needs_municipality(role: str) -> bool:
    return role == Role.MUNICIPAL_CONTACT


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Neither accepted nor cancelled and not yet expired."""
        return self.filter(accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An e-mail invitation to take up a role. The token itself is only in the e-mail; we keep its hash."""

    email = models.EmailField(_("e-post"))
    full_name = models.CharField(_("navn"), max_length=200, blank=True)
    role = models.CharField(_("rolle"), max_length=32, choices=Role.choices)
    branch = models.ForeignKey(
        "municipalities.CountyBranch",
        verbose_name=_("fylkesavdeling"),
        related_name="invitations",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("kommune"),
        related_name="invitations",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User,
        verbose_name=_("invitert av"),
        related_name="invitations_sent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    # The person who took up the invitation (or who already had an account when invited).
    user = models.ForeignKey(
        User,
        verbose_name=_("person"),
        related_name="invitations",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("sendt"), default=timezone.now)
    expires_at = models.DateTimeField(_("utløper"))
    accepted_at = models.DateTimeField(_("akseptert"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitasjon")
        verbose_name_plural = _("invitasjoner")
        constraints = [
            models.CheckConstraint(
                name="invitation_scope_matches_role",
                condition=(
                    models.Q(role="board_member", branch__isnull=False, municipality__isnull=True)
                    | models.Q(role="municipal_contact", municipality__isnull=False, branch__isnull=True)
                    | models.Q(
                        role__in=["leadership", "advisor", "jury_member"],
                        branch__isnull=True,
                        municipality__isnull=True,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.role_label}"

    @property
    def role_label(self) -> str:
        scope = self.branch or self.municipality
        label = self.get_role_display()
        return f"{label} – {scope}" if scope else str(label)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None and not self.is_expired
