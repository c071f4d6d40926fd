"""The roster's people: users (students, teachers, school leaders, guardians), their roles (in the user row
in 1.1, in roles.csv in 1.2) and the guardian links their ``agentSourcedIds`` name.

Passwords in the file are never read; new people get an unusable password and an invitation to set one.
A person erased on request stays erased: their roster id, username and email are checked against the
erasure record (salted digests) and their rows are skipped."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import F, Q

from cairn.accounts.language import normalize as normalize_language
from cairn.accounts.models import Enrolment, GuardianLink, Role, RoleAssignment, User
from cairn.accounts.rosters.context import Context, chunks
from cairn.accounts.rosters.source import RosterRow
from cairn.accounts.rosters.values import grade_label
from cairn.core.privacy import identifier_digest

ROLES = {
    "student": Role.STUDENT,
    "teacher": Role.TEACHER,
    "aide": Role.TEACHER,
    "administrator": Role.SCHOOL_LEADER,
    "principal": Role.SCHOOL_LEADER,
    "parent": Role.GUARDIAN,
    "guardian": Role.GUARDIAN,
    "relativecaregiver": Role.GUARDIAN,
}
_FIELDS = ("first_name", "last_name", "preferred_name", "email", "grade", "is_active", "language")
# Where rosters say which language a person reads (OneRoster extensions and vendors' names for it); a file
# without any of these columns, or a blank cell, leaves the person's language as it is.
LANGUAGE_COLUMNS = (
    "preferredLanguage",
    "language",
    "metadata.language",
    "metadata.preferredLanguage",
    "metadata.homeLanguage",
    "homeLanguage",
    "primaryLanguage",
    "preferred_language",
    "home_language",
)
RoleKey = tuple[int, str, int | None]  # (user id, role, school id)


def _unusable() -> str:
    """What Django's set_unusable_password stores, made faster (one call to the OS, not 40)."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def apply_users(ctx: Context) -> None:
    usernames: set[str] = set()  # new usernames given in this import
    for batch in chunks(ctx.rows("users")):
        _users(ctx, batch, usernames)


def _erased(batch: list[RosterRow]) -> set[str]:
    """The sourcedIds in ``batch`` of people erased on request (by roster id, username or email)."""
    digests: dict[str, str] = {}
    for row in batch:
        for identifier in (row.sourced_id, row.get("username"), row.get("email")):
            if identifier:
                digests[identifier_digest(identifier)] = row.sourced_id
    record = apps.get_model("privacy", "ErasureRecord")
    found = record.objects.filter(digest__in=list(digests)).values_list("digest", flat=True)
    return {digests[digest] for digest in found}


def _values(row: RosterRow) -> dict[str, object]:
    email = row.get("email")
    grades = row.ids("grades")
    return {
        "first_name": row.get("givenName")[:150],
        "last_name": row.get("familyName")[:150],
        "preferred_name": row.get("preferredGivenName")[:150],
        "email": email[:254] if "@" in email else "",
        "grade": grade_label(grades[0]) if grades else "",
        "is_active": not row.deleted and row.get("enabledUser").lower() != "false",
        **_language(row),
    }


def _language(row: RosterRow) -> dict[str, str]:
    """{"language": "es"} when the row names a language ("Spanish", "spa", "es-MX"; one Cairn does not speak
    gives blank: the browser's), {} when it says nothing."""
    said = next((row.get(column) for column in LANGUAGE_COLUMNS if row.get(column)), "")
    return {"language": normalize_language(said)} if said else {}


def _roles(ctx: Context, row: RosterRow) -> list[tuple[str, int | None]] | None:
    """1.1: the (role, school id) pairs the row's role and orgs give; None (and the row skipped) if none."""
    if ctx.source.version != "1.1":
        return []
    role = ROLES.get(row.get("role").lower().replace(" ", ""))
    if role is None:
        ctx.skip(row, f"role {row.get('role') or '(blank)'} is not one Cairn imports")
        return None
    if role == Role.GUARDIAN:
        return [(role, None)]
    orgs = row.ids("orgSourcedIds")
    schools = [ctx.schools[o].pk for o in orgs if o in ctx.schools]
    if not schools:
        missing = [o for o in orgs if o not in ctx.district_orgs] or ["(none)"]
        ctx.skip(row, f"org {', '.join(missing)} is not a school in orgs")
        return None
    return [(role, school) for school in schools]


@dataclass
class _Batch:
    """One chunk of users.csv as it is sorted: who is new, changed or ended, and the roles rows give."""

    existing: dict[str, User]
    taken: set[str]  # usernames in use
    erased: set[str]
    new: list[tuple[RosterRow, User]] = field(default_factory=list)
    changed: list[User] = field(default_factory=list)
    ended: list[int] = field(default_factory=list)
    roles: dict[str, list[tuple[str, int | None]]] = field(default_factory=dict)


def _users(ctx: Context, rows: list[RosterRow], usernames: set[str]) -> None:
    counts = ctx.report.counts["users"]
    there = User.objects.filter(sourced_id__in=[row.sourced_id for row in rows]).only(
        "id", "sourced_id", *_FIELDS
    )
    existing = {u.sourced_id: u for u in there}
    wanted = [row.get("username") or row.sourced_id for row in rows if row.sourced_id not in existing]
    taken = set(User.objects.filter(username__in=wanted).values_list("username", flat=True)) | usernames
    batch = _Batch(existing, taken, _erased(rows))
    for row in rows:
        _sort_user(ctx, row, batch, usernames)
    User.objects.bulk_create([user for _, user in batch.new])
    User.objects.bulk_update(batch.changed, list(_FIELDS))
    counts.created += len(batch.new)
    for row, user in batch.new:
        ctx.users[row.sourced_id] = user.pk
        if user.email and user.is_active:
            ctx.new_people.append(user.pk)
    end_enrolments(ctx, Q(user_id__in=batch.ended))
    wanted_roles = {
        (ctx.users[sid], role, school)
        for sid, given in batch.roles.items()
        if sid in ctx.users
        for role, school in given
    }
    grant_roles(ctx, wanted_roles)
    for row in rows:  # only what linking needs, not the whole row
        if row.get("agentSourcedIds") and row.sourced_id in ctx.users:
            light = RosterRow(row.file, row.line, {"agentSourcedIds": row.get("agentSourcedIds")})
            ctx.agents.append((light, ctx.users[row.sourced_id]))


def _sort_user(ctx: Context, row: RosterRow, batch: _Batch, usernames: set[str]) -> None:
    """Skip the row (and say why), or put its person among the new, changed, ended or unchanged."""
    counts, sid = ctx.report.counts["users"], row.sourced_id
    if not sid or sid in ctx.users:
        ctx.skip(row, "no sourcedId" if not sid else f"user {sid} appears twice")
        return
    if sid in batch.erased:
        ctx.erased.add(sid)
        ctx.skip(row, "this person was erased on request and is not recreated")
        return
    given = _roles(ctx, row)
    if given is None:
        return
    batch.roles[sid] = given
    values, user = _values(row), batch.existing.get(sid)
    if user is None:
        username = (row.get("username") or sid)[:150]
        if row.deleted:
            return  # to be deleted and never imported: nothing to do
        if username in batch.taken:
            ctx.skip(row, f"username {username} belongs to another account")
            return
        batch.taken.add(username)
        usernames.add(username)
        batch.new.append((row, User(username=username, sourced_id=sid, password=_unusable(), **values)))
        return
    ctx.users[sid] = user.pk
    before = {f: getattr(user, f) for f in values}
    if before == values:
        counts.unchanged += 1
        return
    for name, value in values.items():
        setattr(user, name, value)
    batch.changed.append(user)
    if before["is_active"] and not user.is_active and row.deleted:
        batch.ended.append(user.pk)
        counts.ended += 1
    else:
        counts.updated += 1


def end_enrolments(ctx: Context, which: Q) -> int:
    """End the enrolments ``which`` picks that are still running (yesterday was their last day; one that
    has not started ends on its first day). Nothing is deleted."""
    running = Enrolment.objects.filter(which).filter(Q(end_date__isnull=True) | Q(end_date__gt=ctx.yesterday))
    ended = running.filter(start_date__lte=ctx.yesterday).update(end_date=ctx.yesterday)
    return ended + running.filter(start_date__gt=ctx.yesterday).exclude(end_date=F("start_date")).update(
        end_date=F("start_date")
    )


def grant_roles(ctx: Context, wanted: set[RoleKey]) -> None:
    if not wanted:
        return
    ids = {user for user, _, _ in wanted}
    have = set(RoleAssignment.objects.filter(user_id__in=ids).values_list("user_id", "role", "school_id"))
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user_id=user, role=role, school_id=school) for user, role, school in wanted - have
    )


def apply_roles(ctx: Context) -> None:
    """1.2's roles.csv: a person's role at an org (a school; guardians need none)."""
    for batch in chunks(ctx.rows("roles")):
        lookup_people(ctx, [row.get("userSourcedId") for row in batch])
        wanted: set[RoleKey] = set()
        for row in batch:
            user = ctx.users.get(row.get("userSourcedId"))
            role = ROLES.get(row.get("role").lower().replace(" ", ""))
            school = ctx.schools.get(row.get("orgSourcedId"))
            if user is None:
                ctx.skip(row, f"user {row.get('userSourcedId') or '(blank)'} is not in users")
            elif role is None:
                ctx.skip(row, f"role {row.get('role') or '(blank)'} is not one Cairn imports")
            elif role == Role.GUARDIAN:
                wanted.add((user, role, None))
            elif school is None:
                if row.get("orgSourcedId") not in ctx.district_orgs:
                    ctx.skip(row, f"org {row.get('orgSourcedId') or '(blank)'} is not a school in orgs")
            elif row.deleted:
                RoleAssignment.objects.filter(user_id=user, role=role, school=school).delete()
            else:
                wanted.add((user, role, school.pk))
        grant_roles(ctx, wanted)


def lookup_people(ctx: Context, sids: list[str]) -> None:
    """Add to ``ctx.users`` the people named here that this import has not seen (a delta's old hands)."""
    missing = {sid for sid in sids if sid and sid not in ctx.users}
    if missing:
        ctx.users.update(User.objects.filter(sourced_id__in=missing).values_list("sourced_id", "id"))


def link_guardians(ctx: Context) -> None:
    """Link each guardian to the students their row (or the student's row) names in agentSourcedIds."""
    for batch in chunks(ctx.agents):
        lookup_people(ctx, [agent for row, _ in batch for agent in row.ids("agentSourcedIds")])
        pairs: set[tuple[int, int]] = set()
        for row, user in batch:
            for agent in row.ids("agentSourcedIds"):
                if agent in ctx.users:
                    pairs.add((user, ctx.users[agent]))
                else:
                    ctx.skip(row, f"agent {agent} is not in users")
        ids = {person for pair in pairs for person in pair}
        guardians = set(
            RoleAssignment.objects.filter(user_id__in=ids, role=Role.GUARDIAN).values_list(
                "user_id", flat=True
            )
        )
        links = {
            (a, b) if a in guardians else (b, a) for a, b in pairs if (a in guardians) != (b in guardians)
        }
        GuardianLink.objects.bulk_create(
            (GuardianLink(guardian_id=g, student_id=s) for g, s in links), ignore_conflicts=True
        )
