"""Portal invitations of a supplier's contacts: invite, resend, revoke, accept, and the contact's departure.

The link's token is never stored: it is an HMAC (with the project's secret key) of the invitation's id and a
random nonce, which the outbox recomputes to write the email; the row keeps only the token's SHA-256, by which
an accepted link is looked up. An invitation is used once: accepting it is a conditional UPDATE on a pending,
unexpired row, so two clicks at once create one account.
"""

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts.languages import offered_language
from accounts.models import ApiToken, User
from accounts.permissions import require_capability
from accounts.roles import Role
from core.inputs import single_line
from core.leases import send_once
from core.queue import enqueue_on_commit

from .models import ActivityKind, Contact, PortalInvitation
from .services.timeline import activity_record
from .tasks import invitation_email_task

INVITATION_LIFETIME = timedelta(days=7)
TOKEN_SALT = "forgeline.portal-invitation"
# Supplier countries whose contacts get the invitation in a language other than English.
COUNTRY_LANGUAGES = {"CN": "zh-hans", "TW": "zh-hans", "HK": "zh-hans", "VN": "vi"}

# The communications app (above this one, which never imports it) registers the owner's notifications here from
# its ready(): "colleague_invited" is called with (invitation, by) when a factory contact invites a colleague from
# the portal, "accepted" with (invitation, user) when an invited contact has set a password.
_hooks: dict[str, list[Callable]] = {"colleague_invited": [], "accepted": []}


def register_invitation_hook(event: str, hook: Callable) -> None:
    """Call `hook(invitation=..., by=...)` on an invitation event ("colleague_invited", "accepted"), once per hook."""
    if hook not in _hooks[event]:
        _hooks[event].append(hook)


class InvitationUnusable(Exception):
    """A link that cannot be used: `reason` is "unknown" (tampered or never issued), "expired", "used" or
    "revoked" (revoked, or replaced by a newer invitation)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# --- Tokens and languages ---------------------------------------------------------------------------------------


def invitation_token(invitation: PortalInvitation) -> str:
    """Return the link token of an invitation (recomputed from its id and nonce with the secret key)."""
    return salted_hmac(TOKEN_SALT, f"{invitation.pk}:{invitation.nonce}", algorithm="sha256").hexdigest()


def token_hash(token: str) -> str:
    """Return the SHA-256 hex digest of a link token, the only form in which it is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(invitation: PortalInvitation) -> str:
    """Return the absolute link of an invitation, as the email holds it."""
    path = reverse("portal:invitation_accept", kwargs={"token": invitation_token(invitation)})
    return f"{settings.FORGELINE_BASE_URL}{path}"


# A contact's preferred language is free text ("Vietnamese", "中文", "zh-CN"): the names it is commonly written as.
LANGUAGE_NAMES = {
    "english": "en",
    "chinese": "zh-hans",
    "mandarin": "zh-hans",
    "simplified chinese": "zh-hans",
    "中文": "zh-hans",
    "汉语": "zh-hans",
    "普通话": "zh-hans",
    "vietnamese": "vi",
    "tieng viet": "vi",
}
LANGUAGE_PREFIXES = {"en": "en", "zh": "zh-hans", "vi": "vi"}


def contact_language(text: str) -> str:
    """Return the site language a contact's free-text preferred language names ("" when none): a code the site
    offers ("vi"), a regional one ("zh-CN", "en_GB"), or a name in English or in the language itself."""
    value = (text or "").strip().lower().replace("_", "-")
    if not value:
        return ""
    offered = {code.lower(): code for code, _name in settings.LANGUAGES}
    if value in offered:
        return offered[value]
    names = {str(name).lower(): code for code, name in settings.LANGUAGES}
    code = names.get(value) or LANGUAGE_NAMES.get(value) or LANGUAGE_PREFIXES.get(value.split("-")[0], "")
    return code if code in offered.values() else ""


def language_for_contact(contact: Contact) -> str:
    """Return the language to invite a contact in: theirs if the site offers it, else their country's."""
    return contact_language(contact.language) or COUNTRY_LANGUAGES.get(
        str(contact.supplier.country), settings.LANGUAGE_CODE
    )


def contact_portal_user(contact: Contact) -> User | None:
    """Return the portal account of a contact: the one its invitation created, else its supplier's with its email."""
    accepted = (
        PortalInvitation.objects.filter(contact=contact, user__isnull=False).select_related("user").first()
    )
    if accepted is not None:
        return accepted.user
    if not contact.email:
        return None
    return User.objects.filter(
        role=Role.SUPPLIER, supplier_id=contact.supplier_id, email__iexact=contact.email
    ).first()


def user_is_primary_contact(user: User) -> bool:
    """Return whether a factory contact is their company's primary contact (who may invite colleagues)."""
    if not (user.is_authenticated and user.is_portal_user and user.supplier_id):
        return False
    return Contact.objects.filter(
        supplier_id=user.supplier_id, is_primary=True, is_active=True, email__iexact=user.email
    ).exists()


def _activity(contact: Contact, by: User | None, kind: str, detail: str = "") -> None:
    activity_record(
        supplier=contact.supplier_id,
        actor=by,
        kind=kind,
        target=contact,
        detail=detail or contact.name,
        url=reverse("suppliers:tab", kwargs={"pk": contact.supplier_id, "tab": "contacts"}),
    )


# --- Invite, resend, revoke -------------------------------------------------------------------------------------


def _check_inviter(*, by: User, contact: Contact) -> None:
    if by.is_portal_user:
        # A factory contact invites only colleagues of its own company, and only as its primary contact.
        if by.supplier_id != contact.supplier_id:
            raise PermissionDenied
        if not user_is_primary_contact(by):
            raise PermissionDenied(_("Only your company's primary contact may invite colleagues."))
    else:
        require_capability(by, "contact.edit")


@transaction.atomic
def contact_invite(
    *,
    contact: Contact,
    by: User,
    email: str | None = None,
    language: str | None = None,
    supplier_id: int | None = None,
    now: datetime | None = None,
) -> PortalInvitation:
    """Invite a contact to the portal: a new single-use link valid 7 days; an earlier pending one stops working.

    `email` (default: the contact's) corrects the contact's address too; `supplier_id`, when given, is the
    supplier the caller acts for, and a contact of another supplier is refused.
    """
    now = now or timezone.now()
    _check_inviter(by=by, contact=contact)
    if supplier_id is not None and contact.supplier_id != supplier_id:
        raise ValidationError(_("This contact belongs to another supplier."))
    contact = Contact.objects.select_for_update().select_related("supplier").get(pk=contact.pk)
    if not contact.is_active:
        raise ValidationError(_("This contact has left the supplier and cannot be invited."))
    email = (email if email is not None else contact.email).strip().lower()
    if not email:
        raise ValidationError({"email": _("The contact has no email address: add one to invite them.")})
    try:
        validate_email(email)
    except ValidationError:
        message = _("“%(email)s” is not a valid email address.") % {"email": email}
        raise ValidationError({"email": message}) from None
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this email address already exists.")})
    language = offered_language(language or language_for_contact(contact))
    if contact.email.lower() != email:
        contact.email = email
        contact.save(update_fields=["email"])
    replaced = _end_pending(contact=contact, status=PortalInvitation.Status.REPLACED, now=now)
    invitation = PortalInvitation(
        supplier_id=contact.supplier_id,
        contact=contact,
        email=email,
        language=language,
        nonce=secrets.token_hex(16),
        token_hash=secrets.token_hex(32),  # a placeholder until the id, which the token covers, is known
        expires_at=now + INVITATION_LIFETIME,
        sent_by=by,
        created_at=now,
    )
    invitation.save()
    invitation.token_hash = token_hash(invitation_token(invitation))
    invitation.save(update_fields=["token_hash"])
    kind = ActivityKind.PORTAL_INVITATION_RESENT if replaced else ActivityKind.PORTAL_INVITED
    _activity(contact, by, kind, f"{contact.name} <{email}>")
    enqueue_on_commit(invitation_email_task, invitation.pk)  # a broker that is down: the sweep sends it
    if by.is_portal_user:
        for hook in _hooks["colleague_invited"]:
            hook(invitation=invitation, by=by)
    return invitation


def contact_invitation_resend(*, contact: Contact, by: User, now: datetime | None = None) -> PortalInvitation:
    """Send a contact a new link (same address and language as the last invitation); the old link dies."""
    last = contact.invitations.order_by("-created_at", "-pk").first()
    if last is None:
        raise ValidationError(_("This contact has not been invited yet."))
    return contact_invite(contact=contact, by=by, email=last.email, language=last.language, now=now)


@transaction.atomic
def contact_invitation_revoke(*, contact: Contact, by: User, now: datetime | None = None) -> int:
    """Make a contact's pending invitation link stop working; return how many were revoked."""
    now = now or timezone.now()
    _check_inviter(by=by, contact=contact)
    revoked = _end_pending(contact=contact, status=PortalInvitation.Status.REVOKED, now=now)
    if not revoked:
        raise ValidationError(_("This contact has no pending invitation."))
    _activity(contact, by, ActivityKind.PORTAL_INVITATION_REVOKED)
    return revoked


def _end_pending(*, contact: Contact, status: str, now: datetime) -> int:
    return PortalInvitation.objects.filter(contact=contact, status=PortalInvitation.Status.PENDING).update(
        status=status, revoked_at=now
    )


# --- Accept ---------------------------------------------------------------------------------------------------


def invitation_for_token(*, token: str, now: datetime | None = None) -> PortalInvitation:
    """Return the usable invitation of a link token, or raise InvitationUnusable saying why not."""
    now = now or timezone.now()
    if not token or len(token) > 200:
        raise InvitationUnusable("unknown")
    invitation = (
        PortalInvitation.objects.select_related("contact", "supplier")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise InvitationUnusable("unknown")
    if invitation.status == PortalInvitation.Status.ACCEPTED:
        raise InvitationUnusable("used")
    if invitation.status != PortalInvitation.Status.PENDING:
        raise InvitationUnusable("revoked")
    if invitation.expires_at <= now:
        raise InvitationUnusable("expired")
    return invitation


@transaction.atomic
def invitation_accept(
    *, token: str, password: str, language: str | None = None, now: datetime | None = None
) -> User:
    """Create the contact's portal account with the chosen password; the link cannot be used again.

    The account speaks the invitation's language, or `language` if the contact chose another on the way.
    """
    now = now or timezone.now()
    invitation = invitation_for_token(token=token, now=now)
    offered = {code for code, _name in settings.LANGUAGES}
    language = language if language in offered else invitation.language
    contact, supplier = invitation.contact, invitation.supplier
    if not contact.is_active:
        raise InvitationUnusable("revoked")
    user = User(
        email=invitation.email,
        full_name=contact.name,
        role=Role.SUPPLIER,
        supplier=supplier,
        language=language,
        timezone=supplier.timezone,
    )
    validate_password(password, user=user)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("An account with this email address already exists. Sign in instead."))
    won = PortalInvitation.objects.filter(
        pk=invitation.pk, status=PortalInvitation.Status.PENDING, expires_at__gt=now
    ).update(status=PortalInvitation.Status.ACCEPTED, accepted_at=now)
    if not won:
        raise InvitationUnusable("used")  # another click of the same link got there first
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                invitation.email,
                password,
                full_name=contact.name[:150],
                role=Role.SUPPLIER,
                supplier=supplier,
                language=language,
                timezone=supplier.timezone,
            )
    except IntegrityError:
        raise ValidationError(
            _("An account with this email address already exists. Sign in instead.")
        ) from None
    PortalInvitation.objects.filter(pk=invitation.pk).update(user=user)
    _activity(contact, user, ActivityKind.PORTAL_INVITATION_ACCEPTED, f"{contact.name} <{user.email}>")
    for hook in _hooks["accepted"]:
        hook(invitation=invitation, by=user)
    return user


# --- A contact who left -----------------------------------------------------------------------------------------


def contact_portal_access_end(
    *, contact: Contact, by: User | None, now: datetime | None = None
) -> User | None:
    """End a contact's portal access at once: pending links revoked; account inactive, signed out, tokens revoked.

    Returns the deactivated account, if the contact had one. Call inside the transaction that marks them gone.
    """
    from allauth.usersessions.models import UserSession

    now = now or timezone.now()
    _end_pending(contact=contact, status=PortalInvitation.Status.REVOKED, now=now)
    user = contact_portal_user(contact)
    if user is None:
        return None
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    for user_session in UserSession.objects.filter(user=user):
        user_session.end()  # deletes the session itself, not only the row that lists it
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    _activity(contact, by, ActivityKind.PORTAL_ACCESS_ENDED, f"{contact.name} <{user.email}>")
    return user


# --- The invitation email outbox --------------------------------------------------------------------------------


def _sendable(now: datetime):
    # Only a link that still works is worth an email: a revoked or replaced invitation's email never leaves.
    return PortalInvitation.objects.filter(status=PortalInvitation.Status.PENDING, expires_at__gt=now)


def invitations_send_emails(*, now: datetime | None = None, ids=None) -> int:
    """Email the due, unsent invitations (all, or those of `ids`) in their language, each at most once.

    Each row is claimed with a lease first (core.leases), so two runs never send one twice; a failure keeps its
    error on the row, which the sweep takes again after the back-off. Returns how many were sent.
    """
    now = now or timezone.now()
    queryset = _sendable(now)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return send_once(
        queryset,
        now=now,
        kind="invitation",
        compose=_invitation_email,
        address=lambda invitation: invitation.email,
        related=("contact", "supplier", "sent_by"),
    )


def invitation_send_email(*, invitation_id: int, now: datetime | None = None) -> bool:
    """Email one invitation at most once; return whether this call sent it."""
    return invitations_send_emails(now=now, ids=[invitation_id]) == 1


def _invitation_email(invitation: PortalInvitation) -> tuple[str, str]:
    with translation.override(invitation.language):
        subject = single_line(
            _("Forgeline: %(person)s invites you to the supplier portal")
            % {"person": invitation.sent_by or _("your customer")}
        )
        body = "\n\n".join(
            [
                _("Hello %(name)s,") % {"name": invitation.contact.name},
                _(
                    "You are invited to the Forgeline supplier portal of %(supplier)s: orders, deliveries, "
                    "quality and invoices in one place, shared with your customer."
                )
                % {"supplier": invitation.supplier.name},
                _("Open this link to choose your password (it works once, until %(date)s UTC):")
                % {"date": f"{invitation.expires_at:%Y-%m-%d %H:%M}"},
                invitation_url(invitation),
                _("If you did not expect this email, you can ignore it."),
            ]
        )
    return subject, body
