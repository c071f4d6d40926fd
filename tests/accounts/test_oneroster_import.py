"""Rosters from OneRoster CSV packages: messy real exports import, missing references are skipped and
listed, broken packages are refused whole, erased people stay erased, and a second import changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core import mail

from cairn.accounts.models import (
    Course,
    CourseMappingRule,
    District,
    Enrolment,
    GuardianLink,
    Role,
    RoleAssignment,
    Section,
    User,
)
from cairn.accounts.rosters.apply import apply_roster
from cairn.accounts.rosters.csv_package import CsvPackage
from cairn.accounts.rosters.report import RosterReport
from cairn.core.errors import Invalid
from cairn.core.privacy import identifier_digest
from cairn.privacy.models import ErasureRecord
from tests.accounts.oneroster_packages import TERM_START, roster_11, roster_12, write_package
from tests.conftest import run_cairn

pytestmark = pytest.mark.django_db


@pytest.fixture
def district() -> District:
    return District.objects.create(name="Lakeside", slug="lakeside")


def _import(district: District, path: Path, **options: object) -> RosterReport:
    package = CsvPackage(path)
    try:
        return apply_roster(district, package, **options)  # type: ignore[arg-type]
    finally:
        package.close()


def test_the_command_imports_a_messy_export_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    package = write_package(tmp_path / "roster.zip", roster_11())
    command = ("import", "oneroster", str(package), "--district", "Lakeside", "--no-progress")

    dry = run_cairn(*command, "--dry-run", data_dir=tmp_path)
    first = run_cairn(*command, data_dir=tmp_path)
    again = run_cairn(*command, data_dir=tmp_path)

    assert (dry.returncode, first.returncode, again.returncode) == (0, 0, 0), first.stderr
    summary = json.loads(first.stdout.strip().splitlines()[-1])
    assert json.loads(dry.stdout.strip().splitlines()[-1]) == summary  # the dry run wrote nothing
    assert "New district Lakeside" in first.stdout
    assert summary == {
        "refused": False,
        "skipped": 0,
        "orgs": {"created": 1, "updated": 1, "unchanged": 0, "ended": 0},
        "users": {"created": 5, "updated": 0, "unchanged": 0, "ended": 0},
        "classes": {"created": 2, "updated": 0, "unchanged": 0, "ended": 0},
        "enrollments": {"created": 6, "updated": 0, "unchanged": 0, "ended": 0},
    }
    assert "vendor columns ignored: ext_sis_id" in first.stdout
    unchanged = json.loads(again.stdout.strip().splitlines()[-1])
    assert unchanged["users"] == {"created": 0, "updated": 0, "unchanged": 5, "ended": 0}
    assert unchanged["enrollments"]["unchanged"] == 6 and unchanged["orgs"]["unchanged"] == 2


def test_a_1_2_package_gives_roles_guardians_courses_and_invitations(
    tmp_path: Path, district: District, django_capture_on_commit_callbacks: object
) -> None:
    math = Course.objects.create(district=district, name="Grade 4 Math", code="MATH-4", subject="Math")
    CourseMappingRule.objects.create(
        district=district, subject="math", grade_low=3, grade_high=5, course=math
    )
    path = write_package(tmp_path / "roster12", roster_12(), version="1.2", as_zip=False)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        report = _import(district, path)

    assert not report.refused and report.skipped == []
    teacher = User.objects.get(sourced_id="u-t1")
    assert not teacher.has_usable_password()  # the file's password is never kept
    assert RoleAssignment.objects.filter(user=teacher, role=Role.TEACHER, school__code="N1").exists()
    assert GuardianLink.objects.filter(guardian__sourced_id="u-p1", student__sourced_id="u-s1").exists()
    assert Section.objects.get(sourced_id="k1").course == math
    assert Section.objects.get(sourced_id="k2").course is None
    assert report.unmatched_classes and report.unmatched_classes[0].startswith("Art 4")
    assert Enrolment.objects.get(sourced_id="e2").start_date == TERM_START
    assert sorted(m.to[0] for m in mail.outbox) == ["pat@home.test", "tess@lakeside.test"]
    assert "/password-reset/" in mail.outbox[0].body


def test_missing_references_are_skipped_and_listed_and_too_many_refuse_the_package(
    tmp_path: Path, district: District
) -> None:
    data = roster_11()
    data["enrollments"][3]["classSourcedId"] = "k-gone"  # line 5 of enrollments.csv
    report = _import(district, write_package(tmp_path / "a.zip", data), dry_run=True)
    assert report.refused  # 1 of 6 rows is more than 10%
    assert "enrollments.csv: 1 of 6 rows" in report.reason
    assert not Section.objects.exists() and not User.objects.filter(sourced_id="u-s1").exists()

    report = _import(district, write_package(tmp_path / "b.zip", data), force=True)
    assert not report.refused
    assert [str(s) for s in report.skipped] == ["enrollments.csv line 5: class k-gone is not in classes"]
    assert report.counts["enrollments"].created == 5


def test_structural_problems_refuse_the_whole_package_naming_the_file(tmp_path: Path) -> None:
    not_zip = tmp_path / "roster.zip"
    not_zip.write_text("hello")
    with pytest.raises(Invalid, match=r"roster\.zip: not a zip"):
        CsvPackage(not_zip)
    data = roster_11()
    for row in data["users"]:
        del row["familyName"]
    with pytest.raises(Invalid, match=r"users\.csv: required column"):
        CsvPackage(write_package(tmp_path / "cols.zip", data))
    with pytest.raises(Invalid, match=r"oneroster\.version is '2\.0'"):
        CsvPackage(write_package(tmp_path / "v.zip", roster_11(), version="2.0"))


def test_an_erased_person_stays_erased(tmp_path: Path, district: District) -> None:
    ErasureRecord.objects.create(digest=identifier_digest("u-s2"), reason="request")
    report = _import(district, write_package(tmp_path / "r.zip", roster_11()), force=True)
    assert not User.objects.filter(sourced_id="u-s2").exists()
    assert [str(s) for s in report.skipped] == [
        "users.csv line 4: this person was erased on request and is not recreated",
        "enrollments.csv line 4: the person was erased on request",
    ]


def test_tobedeleted_ends_enrolments_and_deactivates_without_deleting(
    tmp_path: Path, district: District
) -> None:
    _import(district, write_package(tmp_path / "bulk.zip", roster_11()))
    delta = roster_11()
    delta["users"] = [dict(delta["users"][2], status="tobedeleted")]  # Sue leaves
    delta["classes"] = [dict(delta["classes"][1], status="tobedeleted")]  # art is cancelled
    delta["enrollments"] = [dict(delta["enrollments"][0], status="tobedeleted")]  # Tess stops math
    for name in ("orgs", "academicSessions", "courses"):
        del delta[name]

    report = _import(district, write_package(tmp_path / "delta.zip", delta, mode="delta"))

    assert report.as_json()["users"]["ended"] == 1 and report.counts["classes"].ended == 1
    assert report.counts["enrollments"].ended == 1
    sue = User.objects.get(sourced_id="u-s2")
    assert not sue.is_active
    assert not Enrolment.objects.current().filter(user=sue).exists()
    assert Enrolment.objects.filter(user=sue).exists()  # ended, not deleted
    assert not Section.objects.get(sourced_id="k2").active
    assert not Enrolment.objects.current().filter(section__sourced_id="k2").exists()
    assert not Enrolment.objects.current().filter(sourced_id="e1").exists()
