"""Everything Cairn holds about one person, written out for them or their family: one readable JSON file
per app, and a README that says what each part is, so a parent can read it without us."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cairn.accounts.models import User
from cairn.core.errors import Conflict, NotFound
from cairn.core.privacy import by_app, declarations, is_erased
from cairn.privacy.models import ErasureRecord
from cairn.privacy.services.events import _audit
from cairn.privacy.services.records import export_row, rows_of

README = """What Cairn holds about {name}
Written {when}. Each file below is one part of Cairn and holds JSON (open it in any text editor or a
browser). Inside, each part says in plain words what it is ("holds") and lists the rows ("rows"). People
other than you are named only where a record is about you (who set a change to your path, for example).

"""


def person_by_username(username: str) -> User:
    """The person to export or erase; an erased person is refused by name, clearly, not "not found"."""
    person = User.objects.filter(username=username).first()
    if person is None:
        if is_erased(username):
            raise Conflict(
                _("%(username)s was erased; Cairn holds nothing about them any more.")
                % {"username": username},
                field="username",
            )
        raise NotFound(_("No one has the username %(username)s.") % {"username": username}, field="username")
    _refuse_erased(person)
    return person


def _refuse_erased(person: User) -> None:
    record = ErasureRecord.objects.filter(stand_in_id=person.pk).first()
    if record is not None:
        raise Conflict(
            _("This person was erased on %(day)s; Cairn holds nothing of theirs to export.")
            % {"day": date_format(record.erased_at, "DATE_FORMAT")}
        )


def collect(person: User) -> dict[str, list[dict[str, Any]]]:
    """app label -> its parts ({model, holds, rows}), for every app that declares personal data."""
    out: dict[str, list[dict[str, Any]]] = {}
    for app, items in by_app(declarations()).items():
        out[app] = [
            {
                "part": d.model,
                "holds": d.holds,
                "rows": [export_row(d, row, person) for row in rows_of(d, person).order_by("pk")],
            }
            for d in items
        ]
    return out


def export_person(person: User, *, out_dir: Path, actor: User | None = None) -> Path:
    """Write ``<out_dir>/cairn-export-<username>/`` (README.txt and <app>.json) and return the folder.
    Refused for an erased person."""
    _refuse_erased(person)
    folder = out_dir / f"cairn-export-{person.username}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    parts = collect(person)
    lines = [README.format(name=person.display_name, when=timezone.now().strftime("%Y-%m-%d %H:%M UTC"))]
    for app, app_parts in parts.items():
        (folder / f"{app}.json").write_text(
            json.dumps({"app": app, "parts": app_parts}, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
            + "\n",
            encoding="utf-8",
        )
        lines.append(f"{app}.json")
        lines.extend(f"  - {p['holds']} ({len(p['rows'])} rows)" for p in app_parts)
        lines.append("")
    (folder / "README.txt").write_text("\n".join(lines), encoding="utf-8")
    _audit("export", actor=actor, subject_id=person.pk)
    return folder


def export_zip(person: User, *, out_dir: Path, actor: User | None = None) -> Path:
    """The export as one zip file in ``out_dir`` (for a download), the folder removed."""
    folder = export_person(person, out_dir=out_dir, actor=actor)
    archive = shutil.make_archive(str(folder), "zip", root_dir=folder.parent, base_dir=folder.name)
    shutil.rmtree(folder)
    return Path(archive)
