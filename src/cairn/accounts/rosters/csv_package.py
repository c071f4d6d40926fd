"""A OneRoster 1.1 or 1.2 CSV package, a zip or a folder, read as a ``RosterSource``.

Opening it checks the structure (a zip or folder, ``manifest.csv``, a known version, every file the manifest
announces, the required columns) and raises ``Invalid`` naming the file; nothing is read into memory: rows
stream from each file as they are applied. Vendor ``ext_*`` and unknown columns are ignored with a note, and
``password`` columns are never read."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from cairn.accounts.rosters.source import ABSENT, BULK, DELTA, ENTITIES, RosterRow
from cairn.core.errors import Invalid

VERSIONS = ("1.1", "1.2")
_COMMON = ("sourcedId", "status", "dateLastModified")
#: The columns the writer needs; a file without one of them is refused.
REQUIRED = {
    "orgs": ("sourcedId", "name", "type"),
    "academicSessions": ("sourcedId", "title", "startDate", "endDate"),
    "courses": ("sourcedId", "title"),
    "classes": ("sourcedId", "title", "schoolSourcedId", "termSourcedIds"),
    "users": ("sourcedId", "givenName", "familyName"),
    "roles": ("userSourcedId", "role", "orgSourcedId"),
    "enrollments": ("sourcedId", "classSourcedId", "userSourcedId", "role"),
    "demographics": ("sourcedId",),
}
#: The columns the writer reads or the standard defines and Cairn does not need (no note for those).
KNOWN = {
    "orgs": ("identifier", "parentSourcedId"),
    "academicSessions": ("type", "parentSourcedId", "schoolYear"),
    "courses": ("schoolYearSourcedId", "courseCode", "grades", "orgSourcedId", "subjects", "subjectCodes"),
    "classes": (
        "grades", "courseSourcedId", "classCode", "classType", "location", "subjects", "subjectCodes",
        "periods",
    ),
    "users": (
        "enabledUser", "orgSourcedIds", "role", "username", "userIds", "middleName", "identifier", "email",
        "sms", "phone", "agentSourcedIds", "grades", "password", "userMasterIdentifier",
        "resourceSourcedIds", "preferredGivenName", "preferredMiddleName", "preferredFamilyName",
        "primaryOrgSourcedId", "pronouns",
    ),
    "roles": ("sourcedId", "roleType", "beginDate", "endDate", "userProfileSourcedId"),
    "enrollments": ("schoolSourcedId", "primary", "beginDate", "endDate"),
}  # fmt: skip
_USERS_11 = ("role", "orgSourcedIds")


class CsvPackage:
    """A package on disk. ``CsvPackage(path)`` checks its structure; ``rows(entity)`` streams a file."""

    def __init__(self, path: Path) -> None:
        self.name = path.name
        self.notes: list[str] = []
        self._zip: zipfile.ZipFile | None = None
        self._files: dict[str, str] = {}  # lower-cased file name -> its name in the zip or folder
        self._root = path
        if path.is_dir():
            self._index_folder(path)
        elif zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
            self._index_zip()
        else:
            raise Invalid(f"{path.name}: not a zip file or a folder (a OneRoster CSV package is a zip).")
        manifest = self._manifest()
        self.version = self._version(manifest)
        self._modes = {entity: self._mode(manifest, entity) for entity in ENTITIES}
        self._totals: dict[str, int] = {}
        for entity in ENTITIES:
            if self._modes[entity] != ABSENT:
                self._check_columns(entity)
        announced = {f"{entity.lower()}.csv" for entity in ENTITIES}
        extra = sorted(n for n in self._files if n.endswith(".csv") and n not in announced | {"manifest.csv"})
        if extra:
            self.notes.append(f"files Cairn does not read, ignored: {', '.join(extra)}")

    # -- finding files -------------------------------------------------------------------------------------
    def _index_folder(self, path: Path) -> None:
        manifests = sorted(path.rglob("manifest.csv"), key=lambda p: len(p.parts))
        if not manifests:
            raise Invalid(f"{path.name}: no manifest.csv (is this a OneRoster CSV package?)")
        self._root = manifests[0].parent
        self._files = {p.name.lower(): p.name for p in self._root.iterdir() if p.is_file()}

    def _index_zip(self) -> None:
        assert self._zip is not None
        names = [n for n in self._zip.namelist() if not n.endswith("/") and "__MACOSX" not in n]
        manifests = sorted((n for n in names if PurePosixPath(n).name.lower() == "manifest.csv"), key=len)
        if not manifests:
            raise Invalid(f"{self.name}: no manifest.csv (is this a OneRoster CSV package?)")
        folder = str(PurePosixPath(manifests[0]).parent)
        prefix = "" if folder == "." else folder + "/"
        for name in names:
            rest = name[len(prefix) :]
            if name.startswith(prefix) and "/" not in rest:
                self._files[rest.lower()] = name

    def _open(self, file: str) -> IO[str]:
        real = self._files[file.lower()]
        if self._zip is not None:
            return io.TextIOWrapper(self._zip.open(real), encoding="utf-8-sig", newline="")
        return (self._root / real).open(encoding="utf-8-sig", newline="")

    # -- the manifest --------------------------------------------------------------------------------------
    def _manifest(self) -> dict[str, str]:
        with self._open("manifest.csv") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or not {"propertyName", "value"} <= set(reader.fieldnames):
                raise Invalid("manifest.csv: needs the columns propertyName and value.")
            return {(r["propertyName"] or "").strip(): (r["value"] or "").strip() for r in reader}

    def _version(self, manifest: dict[str, str]) -> str:
        version = manifest.get("oneroster.version", "")
        if version not in VERSIONS:
            raise Invalid(
                f"manifest.csv: oneroster.version is {version or 'missing'!r}; Cairn reads 1.1 and 1.2."
            )
        return version

    def _mode(self, manifest: dict[str, str], entity: str) -> str:
        mode = manifest.get(f"file.{entity}", ABSENT).lower() or ABSENT
        if mode not in {BULK, DELTA, ABSENT}:
            raise Invalid(f"manifest.csv: file.{entity} is {mode!r}; expected bulk, delta or absent.")
        present = f"{entity.lower()}.csv" in self._files
        if mode != ABSENT and not present:
            raise Invalid(f"{entity}.csv: the manifest announces it ({mode}) but the package lacks it.")
        if mode == ABSENT and present:
            self.notes.append(f"{entity}.csv: the manifest says absent; ignored")
        return mode

    def _check_columns(self, entity: str) -> None:
        file = f"{entity}.csv"
        with self._open(file) as handle:
            header = next(csv.reader(handle), [])
        columns = [c.strip() for c in header]
        required = REQUIRED[entity] + (_USERS_11 if entity == "users" and self.version == "1.1" else ())
        required += ("status",) if self._modes[entity] == DELTA else ()
        missing = [c for c in required if c not in columns]
        if missing:
            raise Invalid(f"{file}: required column(s) missing: {', '.join(missing)}.")
        known = set(REQUIRED[entity]) | set(KNOWN.get(entity, ())) | set(_COMMON)
        vendor = [c for c in columns if c.lower().startswith(("ext_", "ext."))]
        unknown = [c for c in columns if c not in known and c not in vendor]
        if vendor:
            self.notes.append(f"{file}: vendor columns ignored: {', '.join(vendor)}")
        if unknown:
            self.notes.append(f"{file}: unknown columns ignored: {', '.join(unknown)}")

    # -- RosterSource --------------------------------------------------------------------------------------
    def mode(self, entity: str) -> str:
        return self._modes.get(entity, ABSENT)

    def rows(self, entity: str) -> Iterator[RosterRow]:
        if self.mode(entity) == ABSENT:
            return
        file = f"{entity}.csv"
        with self._open(file) as handle:
            reader = csv.DictReader(handle, restval="")
            count = 0
            try:
                reader.fieldnames = [c.strip() for c in reader.fieldnames or []]
                for record in reader:
                    record.pop("password", None)  # never kept, not even in memory past this line
                    record.pop(None, None)  # type: ignore[call-overload]  # surplus cells of a ragged row
                    if not any(record.values()):
                        continue  # a blank line
                    count += 1
                    yield RosterRow(file, reader.line_num, record)
            except (csv.Error, UnicodeDecodeError) as broken:  # the file itself is broken: refuse it all
                raise Invalid(f"{file} line {reader.line_num}: not readable CSV (UTF-8): {broken}") from None
            self._totals[entity] = count

    def total(self, entity: str) -> int | None:
        """Counted once by scanning the file's lines (cheap next to parsing), for progress."""
        if self.mode(entity) == ABSENT:
            return 0
        if entity not in self._totals:
            with self._open(f"{entity}.csv") as handle:
                self._totals[entity] = max(sum(1 for _ in handle) - 1, 0)
        return self._totals[entity]

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
