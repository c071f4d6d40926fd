"""Outside scores in: tolerant headers, all-or-nothing naming the rows, re-import unchanged, dry run, CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from cairn.core.errors import Invalid
from cairn.leaders.importers.scores import import_scores
from cairn.leaders.models import OutsideScore
from tests.conftest import World, run_cairn

VENDOR = (
    "Student ID,Test Name,Test Window,Content Area,Scale Score,Score Scale\n"
    "ana_student,State Math 5,Spring 2026,Math,512,SS\n"
    "{classmate},State Math 5,Spring 2026,Math,488.5,SS\n"
)


def test_vendor_headers_import_and_a_reimport_changes_nothing(world: World) -> None:
    world.classmate.sourced_id = "u-77"
    world.classmate.save()
    text = VENDOR.replace("ana_student", world.student.username).format(classmate="u-77")
    report = import_scores(text, district=world.district, by=world.district_admin)
    assert report.created == {"scores": 2} and report.updated == {"scores": 0}
    score = OutsideScore.objects.get(student=world.classmate)
    assert (score.assessment, score.period, score.subject, score.score, score.scale) == (
        "State Math 5",
        "Spring 2026",
        "Math",
        488.5,
        "SS",
    )
    before = list(OutsideScore.objects.values_list("pk", "score", "batch"))
    again = import_scores(text, district=world.district)
    assert again.created == {"scores": 0} and again.updated == {"scores": 2}
    assert list(OutsideScore.objects.values_list("pk", "score", "batch")) == before


def test_an_unknown_student_or_bad_value_refuses_the_whole_file_naming_every_row(world: World) -> None:
    text = (
        "student,assessment,date,subject,score\n"
        f"{world.student.username},MAP Math,2026-01-15,Math,201\n"
        f"{world.stranger.username},MAP Math,2026-01-15,Math,199\n"  # another district's student
        f"{world.classmate.username},MAP Math,15/01/2026,Math,abc\n"
    )
    with pytest.raises(Invalid) as refused:
        import_scores(text, district=world.district)
    message = str(refused.value)
    assert f"row 3: no student '{world.stranger.username}'" in message
    assert "row 4: date '15/01/2026' is not a date" in message and "row 4: score 'abc'" in message
    assert "row 2" not in message
    assert not OutsideScore.objects.exists()
    with pytest.raises(Invalid, match="no column for: score"):
        import_scores("student,assessment,window\nx,y,z\n", district=world.district)


def test_cli_imports_scores_with_dry_run_and_refuses_a_bad_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    setup = (
        "from cairn.accounts.models import District, School, Role; from cairn.accounts import services; "
        "d = District.objects.create(name='North', slug='north'); "
        "s = School.objects.create(district=d, name='Oak', code='OAK'); "
        "services.create_person(username='ana', first_name='Ana', last_name='A', role=Role.STUDENT, school=s)"
    )
    assert run_cairn("manage", "migrate", "-v", "0", data_dir=data).returncode == 0
    made = run_cairn("manage", "shell", "-c", setup, data_dir=data)
    assert made.returncode == 0, made.stderr
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("student,assessment,window,score\nana,State Math 5,Spring 2026,512\n")
    bad.write_text(
        "student,assessment,window,score\nana,State Math 5,Spring 2026,512\nbob,State Math 5,Spring 2026,9\n"
    )
    count = "from cairn.leaders.models import OutsideScore; print(OutsideScore.objects.count())"
    dry = run_cairn("import", "scores", str(good), "--district", "north", "--dry-run", data_dir=data)
    assert dry.returncode == 0, dry.stderr
    assert "dry run" in dry.stdout and "scores: 1 new" in dry.stdout
    refused = run_cairn("import", "scores", str(bad), "--district", "north", data_dir=data)
    assert refused.returncode == 1 and "row 3: no student 'bob'" in refused.stderr
    counted = run_cairn("manage", "shell", "-c", count, data_dir=data).stdout.strip().splitlines()
    assert counted[-1] == "0"  # neither the dry run nor the refused file wrote anything
    done = run_cairn("import", "scores", str(good), "--district", "north", data_dir=data)
    assert done.returncode == 0 and "scores: 1 new" in done.stdout
    no_district = run_cairn("import", "scores", str(good), data_dir=data)
    assert no_district.returncode == 1 and "--district" in no_district.stderr


def test_upload_page_checks_then_imports_on_confirm_for_district_admins_only(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import client_for

    url = f"/leaders/districts/{world.district.pk}/scores/"
    good = f"student,assessment,window,score\n{world.student.username},MAP Math,Winter 2027,210\n"
    admin = client_for(world.district_admin)
    checked = admin.post(url, {"file": SimpleUploadedFile("map.csv", good.encode())})
    assert checked.status_code == 200 and "scores: 1 new" in checked.content.decode()
    assert not OutsideScore.objects.exists()  # a check writes nothing
    assert admin.post(url, {"confirm": "1"}).status_code == 302
    assert OutsideScore.objects.get().score == 210
    bad = good + "nobody,MAP Math,Winter 2027,1\n"
    refused = admin.post(url, {"file": SimpleUploadedFile("bad.csv", bad.encode())})
    assert refused.status_code == 400 and "row 3: no student" in refused.content.decode()
    for outsider in (world.leader, world.teacher):
        assert client_for(outsider).get(url).status_code in (403, 404)


def test_oneroster_demographics_import_all_or_nothing(world: World) -> None:
    from cairn.leaders.importers.demographics import import_demographics
    from cairn.leaders.models import Demographics

    world.student.sourced_id = "s-1"
    world.student.save()
    head = "sourcedId,status,birthDate,sex,asian,white,hispanicOrLatinoEthnicity,metadata.frl,metadata.ell\n"
    good = head + "s-1,active,2015-01-01,female,true,true,false,Y,N\n"
    with pytest.raises(Invalid, match="row 3: no student 'zz'"):
        import_demographics(good + "zz,,,male,,,,,\n", district=world.district)
    assert not Demographics.objects.exists()
    assert import_demographics(good, district=world.district).created == {"demographics": 1}
    saved = Demographics.objects.get(student=world.student)
    assert (saved.gender, saved.race_ethnicity, saved.frl, saved.ell, saved.iep) == (
        "Female",
        "Two or more races",
        True,
        False,
        None,
    )
