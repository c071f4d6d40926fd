"""What a roster import did, or would do: counts per entity, rows skipped and why, classes without a
course, notes; and the one JSON line the command prints last."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: The entities the JSON line counts (schools and the district under "orgs").
COUNTED = ("orgs", "users", "classes", "enrollments")
#: A package where more than this share of any file's rows would be skipped is refused (unless forced).
MAX_SKIPPED_SHARE = 0.10


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ended: int = 0


@dataclass(frozen=True)
class Skipped:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file} line {self.line}: {self.reason}"


@dataclass
class RosterReport:
    source: str = ""
    version: str = ""
    dry_run: bool = False
    refused: bool = False
    reason: str = ""
    counts: dict[str, Counts] = field(default_factory=lambda: {name: Counts() for name in COUNTED})
    skipped: list[Skipped] = field(default_factory=list)
    unmatched_classes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows_read: dict[str, int] = field(default_factory=dict)
    invited: int = 0

    def skip(self, file: str, line: int, reason: str) -> None:
        self.skipped.append(Skipped(file, line, reason))

    def refuse(self, reason: str) -> None:
        self.refused, self.reason = True, reason

    def skipped_by_file(self) -> dict[str, int]:
        per_file: dict[str, int] = {}
        for row in self.skipped:
            per_file[row.file] = per_file.get(row.file, 0) + 1
        return per_file

    def too_many_skipped(self) -> str:
        """The reason to refuse when more than 10% of a file's rows were skipped, else ""."""
        for file, skipped in sorted(self.skipped_by_file().items()):
            read = self.rows_read.get(file, 0)
            if read and skipped / read > MAX_SKIPPED_SHARE:
                return (
                    f"{file}: {skipped} of {read} rows refer to missing records (more than 10%); "
                    "is the export complete? Use --force to import the rest anyway."
                )
        return ""

    def as_json(self) -> dict[str, Any]:
        """The summary the command prints as its last line (and the page's dry-run totals)."""
        out: dict[str, Any] = {"refused": self.refused}
        if self.refused:
            out["reason"] = self.reason
        out["skipped"] = len(self.skipped)
        out.update({name: asdict(self.counts[name]) for name in COUNTED})
        return out

    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready: what an import's history row keeps."""
        data = asdict(self)
        data["skipped"] = [asdict(row) for row in self.skipped]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RosterReport:
        report = cls(**{k: v for k, v in data.items() if k not in {"counts", "skipped"}})
        report.counts = {name: Counts(**data.get("counts", {}).get(name, {})) for name in COUNTED}
        report.skipped = [Skipped(**row) for row in data.get("skipped", [])]
        return report

    def lines(self, *, limit: int = 50) -> list[str]:
        """The readable report, line by line (skipped rows up to ``limit``)."""
        verb = "Would import" if self.dry_run else "Imported"
        out = [f"Refused {self.source}: {self.reason}"] if self.refused else [f"{verb} {self.source}:"]
        for name in COUNTED:
            c = self.counts[name]
            out.append(
                f"  {name}: {c.created} new, {c.updated} updated, {c.unchanged} unchanged, {c.ended} ended"
            )
        if self.invited:
            out.append(f"  {self.invited} new people with an email get an invitation to set a password")
        if self.unmatched_classes:
            out.append(f"  {len(self.unmatched_classes)} class(es) match no course rule (no course):")
            out.extend(f"    {title}" for title in self.unmatched_classes[:limit])
        if self.skipped:
            out.append(f"  skipped {len(self.skipped)} row(s):")
            out.extend(f"    {row}" for row in self.skipped[:limit])
            if len(self.skipped) > limit:
                out.append(f"    ... and {len(self.skipped) - limit} more")
        out.extend(f"  note: {note}" for note in self.notes)
        return out
