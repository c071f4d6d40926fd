"""Grades to the SIS: a OneRoster 1.2 gradebook CSV package (a zip) for one section or a whole district.

Files, with the column names and order of the 1EdTech OneRoster 1.2 CSV binding (bulk, so ``status`` and
``dateLastModified`` are blank):

- ``manifest.csv``: every 1.2 file named, ``bulk`` for those here and ``absent`` for the rest;
- ``categories.csv``: one category, "Competencies";
- ``lineItems.csv``: one line item per section and competency, scored from the lowest to the highest
  score of the district's proficiency scale;
- ``scoreScales.csv``: the district's scale for each section (``{score:label}`` values), and
  ``lineItemScoreScales.csv`` linking every line item to it;
- ``results.csv``: one result per student and competency: the level's score and name, "fully graded"
  once the student has started it, "not submitted" (no score) before.

Ids are the roster's (``sourced_id`` of the district, school, section and student) where an import set
them, else Cairn's own (``cairn-section-12``), so a SIS that was rostered from the same OneRoster feed
matches its own classes and students. Cairn has no academic sessions, so a line item names its section's
term as ``cairn-term-<start>-<end>``; a SIS that needs its own term id maps that one column.

This is a machine format, read by a SIS importer: values are validated, never formula-escaped (a leading
``'``, what ``cairn.core.spreadsheet`` does for the human CSV, would become part of an id and break the
match). An id that is empty, starts with ``=``, ``+``, ``-`` or ``@`` (what a spreadsheet would run as a
formula), or holds a control character is refused: the rows that would carry it are left out and counted in
``Package.skipped``, so a bad roster id never reaches a SIS nor runs in a spreadsheet. Text columns (titles,
descriptions, level names) lose any leading formula characters for the same reason; level names are checked
when the scale is set.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from cairn.accounts.models import District, Section, User
from cairn.curriculum.models import Competency
from cairn.insights import gradebook
from cairn.insights.selectors import class_state
from cairn.insights.state import ClassState
from cairn.learning.selectors import proficiency
from cairn.learning.selectors.proficiency import Scale

HEADERS: dict[str, list[str]] = {
    "categories.csv": ["sourcedId", "status", "dateLastModified", "title", "weight"],
    "lineItems.csv": [
        "sourcedId",
        "status",
        "dateLastModified",
        "title",
        "description",
        "assignDate",
        "dueDate",
        "classSourcedId",
        "categorySourcedId",
        "academicSessionSourcedId",
        "resultValueMin",
        "resultValueMax",
        "schoolSourcedId",
    ],
    "results.csv": [
        "sourcedId",
        "status",
        "dateLastModified",
        "lineItemSourcedId",
        "studentSourcedId",
        "scoreStatus",
        "score",
        "scoreDate",
        "comment",
        "textScore",
        "classSourcedId",
        "inProgress",
        "incomplete",
        "late",
        "missing",
    ],
    "scoreScales.csv": [
        "sourcedId",
        "status",
        "dateLastModified",
        "title",
        "type",
        "orgSourcedId",
        "courseSourcedId",
        "classSourcedId",
        "scoreScaleValue",
    ],
    "lineItemScoreScales.csv": [
        "sourcedId",
        "status",
        "dateLastModified",
        "title",
        "lineItemSourcedId",
        "scoreScaleSourcedId",
    ],
}
# Every file a OneRoster 1.2 manifest names, in the binding's order.
MANIFEST_FILES = (
    "academicSessions",
    "categories",
    "classes",
    "classResources",
    "courses",
    "courseResources",
    "demographics",
    "enrollments",
    "lineItemLearningObjectiveIds",
    "lineItems",
    "lineItemScoreScales",
    "orgs",
    "resources",
    "resultLearningObjectiveIds",
    "results",
    "resultScoreScales",
    "roles",
    "scoreScales",
    "userProfiles",
    "userResources",
    "users",
)
CATEGORY_ID = "cairn-category-competencies"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Row = list[str]


class UnsafeId(ValueError):
    """An id that must not go into the package."""


def safe_id(value: str) -> str:
    """``value`` if it is safe as an id in a machine CSV; ``UnsafeId`` otherwise (see the module's doc)."""
    if not value or value.startswith(FORMULA_STARTS) or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise UnsafeId(value)
    return value


def text(value: str) -> str:
    """Free text for a machine CSV: no leading character a spreadsheet would run as a formula."""
    return value.lstrip("=+-@\t\r ")


def _id(obj: object, kind: str) -> str:
    return safe_id(str(getattr(obj, "sourced_id", "") or f"cairn-{kind}-{getattr(obj, 'pk', '')}"))


def _bool(value: bool) -> str:
    return "true" if value else "false"


@dataclass
class Package:
    rows: dict[str, list[Row]] = field(default_factory=lambda: {name: [] for name in HEADERS})
    skipped: int = 0

    def add_section(self, section: Section, state: ClassState, scale: Scale) -> None:
        """The section's line items, scale and results; rows with an unsafe id are counted, not written."""
        try:
            ids = _section_ids(section)
        except UnsafeId:
            self.skipped += 1
            return
        scale_id = f"cairn-scale-{section.pk}"
        self.rows["scoreScales.csv"].append(_scale_row(scale_id, ids, section, scale))
        for competency in state.competencies:
            line_item = f"cairn-li-{section.pk}-{competency.pk}"
            self.rows["lineItems.csv"].append(_line_item_row(line_item, competency, section, ids, scale))
            self.rows["lineItemScoreScales.csv"].append(
                [f"cairn-lis-{section.pk}-{competency.pk}", "", "", "", line_item, scale_id]
            )
            for student in state.students:
                try:
                    row = _result_row(line_item, student, competency, state, ids["class"], scale)
                except UnsafeId:
                    self.skipped += 1
                    continue
                self.rows["results.csv"].append(row)

    def files(self) -> dict[str, list[Row]]:
        """Each file's rows, header first; the manifest first of all."""
        present = {name for name, rows in self.rows.items() if rows}
        category = [[CATEGORY_ID, "", "", "Competencies", ""]] if present else []
        out = {"manifest.csv": _manifest(present | ({"categories.csv"} if present else set()))}
        out["categories.csv"] = [HEADERS["categories.csv"], *category]
        for name, rows in self.rows.items():
            if name != "categories.csv":
                out[name] = [HEADERS[name], *rows]
        return out

    def to_zip(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, rows in self.files().items():
                buffer = io.StringIO()
                csv.writer(buffer, lineterminator="\r\n").writerows(rows)
                archive.writestr(name, buffer.getvalue().encode("utf-8"))
        return out.getvalue()


def _section_ids(section: Section) -> dict[str, str]:
    school = section.school
    course = section.course
    return {
        "class": _id(section, "section"),
        "school": _id(school, "school"),
        "org": _id(school.district, "district"),
        "course": _id(course, "course") if course else safe_id(f"cairn-course-of-section-{section.pk}"),
        "term": f"cairn-term-{section.term_start:%Y%m%d}-{section.term_end:%Y%m%d}",
    }


def _scale_row(scale_id: str, ids: dict[str, str], section: Section, scale: Scale) -> Row:
    values = ",".join(f"{{{lvl.text}:{lvl.label}}}" for lvl in scale.levels)
    title = text(f"{section.school.district.name} proficiency scale")
    return [scale_id, "", "", title, "proficiency", ids["org"], ids["course"], ids["class"], values]


def _line_item_row(
    line_item: str, competency: Competency, section: Section, ids: dict[str, str], scale: Scale
) -> Row:
    return [
        line_item,
        "",
        "",
        text(competency.code),
        text(competency.statement),
        section.term_start.isoformat(),
        section.term_end.isoformat(),
        ids["class"],
        CATEGORY_ID,
        ids["term"],
        f"{scale.lowest:g}",
        f"{scale.highest:g}",
        ids["school"],
    ]


def _result_row(
    line_item: str, student: User, competency: Competency, state: ClassState, class_id: str, scale: Scale
) -> Row:
    student_id = _id(student, "user")
    cell = state.cell(student.pk, competency.pk)
    level = gradebook.level(cell, scale)
    return [
        f"{line_item}-{student.pk}",
        "",
        "",
        line_item,
        student_id,
        "fully graded" if level else "not submitted",
        level.text if level else "",
        state.today.isoformat(),
        "",
        level.label if level else "",
        class_id,
        _bool(level is not None and not level.mastered),
        "false",
        "false",
        "false",
    ]


def _manifest(present: Iterable[str]) -> list[Row]:
    names = {name.removesuffix(".csv") for name in present}
    return [
        ["propertyName", "value"],
        ["manifest.version", "1.0"],
        ["oneroster.version", "1.2"],
        *[[f"file.{name}", "bulk" if name in names else "absent"] for name in MANIFEST_FILES],
        ["source.systemName", "Cairn"],
        ["source.systemCode", "cairn"],
    ]


def for_sections(sections: Iterable[Section]) -> Package:
    """The package for these sections, each on its district's proficiency scale (read from the stored
    state, like every grade-book export)."""
    package = Package()
    scales: dict[int, Scale] = {}
    for section in sections:
        district_id = section.school.district_id
        if district_id not in scales:
            scales[district_id] = proficiency.for_district(district_id)
        package.add_section(section, class_state(section), scales[district_id])
    return package


def for_district(district: District) -> Package:
    """Every active section of the district's schools."""
    sections = (
        Section.objects.filter(school__district=district, active=True)
        .select_related("school__district", "course")
        .order_by("school__name", "name", "pk")
    )
    return for_sections(sections)
