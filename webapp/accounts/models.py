"""Who uses the app: citizens (no password, a verified phone), staff (password and TOTP), and
the server-side records of their sessions, one-time codes and invitations.

Secrets are never stored as given: session tokens, one-time codes and invitation tokens are
kept as hashes, so a copy of the database lets nobody sign in.
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    TextField,
)

from webapp.core.actors import CITIZEN as CITIZEN_ACTOR
from webapp.core.actors import STAFF as STAFF_ACTOR
from webapp.core.actors import Actor
from webapp.core.clock import utcnow
from webapp.core.db import BaseModel, JSONField, database
from webapp.core.text import fold_vietnamese
from webapp.places.models import Commune

OFFICER, ADMIN, VOLUNTEER = "officer", "admin", "volunteer"
STAFF_ROLES = (OFFICER, ADMIN, VOLUNTEER)
# Roles that handle personal data at scale sign in with a second factor.
ROLES_WITH_SECOND_FACTOR = (OFFICER, ADMIN)


class Citizen(BaseModel):
    """A person using public services. Signs in by a code sent to the phone, or by Zalo."""

    phone = CharField(unique=True, null=True)  # canonical "0912345678", verified by a code
    zalo_id = CharField(unique=True, null=True)  # Zalo's per-app user id
    full_name = CharField(default="")
    # The name lower-cased without diacritics, kept by save(): officers search it ("nguyen thi
    # tu" finds "Nguyễn Thị Tư") with a plain LIKE, the same on SQLite and PostgreSQL.
    name_folded = CharField(default="")
    date_of_birth = DateField(null=True)
    citizen_id = CharField(null=True, max_length=12)  # CCCD, 12 digits, validated on entry
    commune = ForeignKeyField(Commune, null=True, on_delete="SET NULL")
    address = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    def save(self, *args, **kwargs):
        self.name_folded = fold_vietnamese(self.full_name or "")
        return super().save(*args, **kwargs)

    def as_actor(self) -> Actor:
        return Actor(CITIZEN_ACTOR, self.id)

    @classmethod
    def by_phone(cls, phone: str) -> Citizen | None:
        return cls.get_or_none(cls.phone == phone)

    @classmethod
    def get_or_create_by_phone(cls, phone: str) -> tuple[Citizen, bool]:
        """The citizen with this verified phone, created on first sign-in; (citizen, created)."""
        citizen = cls.by_phone(phone)
        if citizen is not None:
            return citizen, False
        try:
            with database.atomic():
                return cls.create(phone=phone), True
        except IntegrityError:  # the same person signing in twice at once: one row wins
            return cls.get(cls.phone == phone), False

    PROFILE_FIELDS = ("full_name", "date_of_birth", "citizen_id", "commune", "address")

    def update_profile(self, values: dict) -> list[str]:
        """Save new profile values; return the names of the fields that changed."""
        changed = [name for name in self.PROFILE_FIELDS
                   if self._comparable(name) != _comparable_value(name, values.get(name))]
        for name in changed:
            setattr(self, name, values.get(name) or ("" if name in ("full_name", "address")
                                                     else None))
        if changed:
            self.updated_at = utcnow()
            self.save()
        return changed

    def _comparable(self, name: str):
        return self.commune_id if name == "commune" else getattr(self, name) or None

    @classmethod
    def in_communes(cls, commune_ids):
        """Citizens whose profile names one of these communes, with the commune in one query."""
        return (cls.select(cls, Commune).join(Commune)
                .where(cls.commune.in_(list(commune_ids)))
                .order_by(cls.full_name, cls.id))

    @property
    def profile_complete(self) -> bool:
        """True when later forms can be prefilled with everything they usually ask."""
        return bool(self.full_name and self.date_of_birth and self.citizen_id
                    and self.commune_id and self.address)


def _comparable_value(name: str, value):
    """A submitted profile value in the form `Citizen._comparable` gives (ids, None for empty)."""
    if name == "commune" and value is not None:
        return value.id
    return value or None


class StaffUser(BaseModel):
    """An officer, a province administrator or a community digital-technology volunteer."""

    username = CharField(unique=True)
    full_name = CharField()
    phone = CharField(default="")
    role = CharField()  # one of STAFF_ROLES
    password_hash = CharField()
    totp_secret = CharField(null=True)  # base32; required for ROLES_WITH_SECOND_FACTOR
    # The last TOTP time step accepted, so a code seen over a shoulder cannot be used again.
    totp_last_step = IntegerField(default=0)
    is_active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    @property
    def needs_second_factor(self) -> bool:
        return self.role in ROLES_WITH_SECOND_FACTOR

    def as_actor(self) -> Actor:
        return Actor(STAFF_ACTOR, self.id)

    @classmethod
    def by_username(cls, username: str) -> StaffUser | None:
        return cls.get_or_none(cls.username == username.strip().lower())

    @classmethod
    def listing(cls):
        return cls.select().order_by(cls.role, cls.username)

    def communes(self):
        """The communes this person serves, in the province's order."""
        return (Commune.select().join(StaffCommune)
                .where(StaffCommune.staff == self).order_by(Commune.position))


class StaffCommune(BaseModel):
    """A commune an officer or volunteer serves (administrators serve every commune)."""

    staff = ForeignKeyField(StaffUser, on_delete="CASCADE", backref="commune_links")
    commune = ForeignKeyField(Commune, on_delete="CASCADE")

    class Meta:
        indexes = ((("staff", "commune"), True),)


class SignInSession(BaseModel):
    """The server's side of a signed-in browser. The cookie carries a token; this row, its hash.

    A session is valid while it is neither revoked, nor idle too long, nor past its lifetime;
    signing out or an administrator locking the account revokes it at once.
    """

    token_hash = CharField(unique=True)
    citizen = ForeignKeyField(Citizen, null=True, on_delete="CASCADE")
    staff = ForeignKeyField(StaffUser, null=True, on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    revoked_at = DateTimeField(null=True)

    @classmethod
    def revoke_all_for_staff(cls, staff: StaffUser) -> int:
        return (cls.update(revoked_at=utcnow())
                .where(cls.staff == staff, cls.revoked_at.is_null()).execute())


class PhoneChallenge(BaseModel):
    """A six-digit code sent to a phone: valid five minutes, single use, five tries at most."""

    phone = CharField(index=True)
    purpose = CharField()  # "sign_in", "link_zalo" or "change_phone"
    code_hash = CharField()
    created_at = DateTimeField(default=utcnow, index=True)
    expires_at = DateTimeField()
    attempts = IntegerField(default=0)
    used_at = DateTimeField(null=True)
    # What the code will be used for once right, e.g. the Zalo id to link or the citizen id
    # changing their number; kept here rather than in the cookie so it cannot be tampered with.
    context = JSONField(default=dict)

    def seconds_until_resend(self, now: dt.datetime, resend_after: int) -> int:
        waited = (now - self.created_at).total_seconds()
        return max(0, int(resend_after - waited + 0.999))


class StaffInvitation(BaseModel):
    """An administrator's invitation: the invitee chooses a password (and sets up TOTP)."""

    token_hash = CharField(unique=True)
    username = CharField()
    full_name = CharField()
    phone = CharField(default="")
    role = CharField()
    commune_ids = JSONField(default=list)
    invited_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    # Filled by the first step of accepting, used by the second (TOTP set-up).
    password_hash = CharField(null=True)
    totp_secret = CharField(null=True)
    used_at = DateTimeField(null=True)
    # The account made from the invitation; set from the start for a reset of an existing
    # account's password and authenticator (see staff.reset_sign_in).
    staff = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL", backref="+")

    @property
    def is_reset(self) -> bool:
        """A reset of an existing account, not an invitation to a new one (only invitations
        not yet used can be opened, and a new one gets its account when it is used)."""
        return self.staff_id is not None and self.used_at is None


# Phone numbers in old codes are personal data with no further use; ended sessions only matter
# for a while after (a support question about "was I signed in?").
CODE_RETENTION = dt.timedelta(days=1)
SESSION_RETENTION = dt.timedelta(days=30)


def purge_expired(now: dt.datetime | None = None) -> tuple[int, int]:
    """Delete one-time codes older than a day and sessions ended over 30 days ago."""
    now = now or utcnow()
    with database.atomic():
        codes = PhoneChallenge.delete().where(
            PhoneChallenge.created_at < now - CODE_RETENTION).execute()
        old = now - SESSION_RETENTION
        sessions = SignInSession.delete().where(
            (SignInSession.expires_at < old)
            | (SignInSession.revoked_at.is_null(False) & (SignInSession.revoked_at < old))
        ).execute()
    return codes, sessions
