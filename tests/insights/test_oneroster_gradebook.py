"""Grades to the SIS: the OneRoster 1.2 gradebook package has the CSV binding's files and columns, one result
per student and competency on the district's proficiency scale (the same scale as the grade-book CSV), a
teacher gets their own sections only and a district admin every section of the district."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from cairn.accounts.models import Section
from cairn.core.errors import Invalid
from cairn.insights import oneroster_gradebook
from cairn.learning.models import Progress
from cairn.learning.selectors import proficiency
from cairn.learning.services.proficiency import set_scale
from tests.conftest import client_for
from tests.insights.conftest import Classroom, progress

# The OneRoster 1.2 CSV binding's columns, in its order (1EdTech, CSV Binding 1.2.1, gradebook files).
BINDING = {
    "categories.csv": "sourcedId,status,dateLastModified,title,weight",
    "lineItems.csv": "sourcedId,status,dateLastModified,title,description,assignDate,dueDate,classSourcedId,"
    "categorySourcedId,academicSessionSourcedId,resultValueMin,resultValueMax,schoolSourcedId",
    "results.csv": "sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,scoreStatus,score,"
    "scoreDate,comment,textScore,classSourcedId,inProgress,incomplete,late,missing",
    "scoreScales.csv": "sourcedId,status,dateLastModified,title,type,orgSourcedId,courseSourcedId,"
    "classSourcedId,scoreScaleValue",
    "lineItemScoreScales.csv": "sourcedId,status,dateLastModified,title,lineItemSourcedId,"
    "scoreScaleSourcedId",
}


def _files(content: bytes) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))
            for name in archive.namelist()
        }


def _headers(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode().splitlines()[0] for name in archive.namelist()}


def _download(classroom: Classroom) -> bytes:
    w = classroom.world
    response = client_for(w.teacher).get(reverse("insights-oneroster-section", args=[w.section.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return response.content


def test_the_package_has_the_bindings_columns_and_a_result_per_competency(classroom: Classroom) -> None:
    w, u, s = classroom.world, classroom.unit, classroom.students
    w.section.sourced_id = "class-77"
    w.section.save()
    s[0].sourced_id = "stu-0001"
    s[0].save()
    progress(s[0], u.a, Progress.Status.MASTERED, mastery=0.97)
    progress(s[0], u.b, mastery=0.85)
    progress(s[1], u.a, mastery=0.3)
    content = _download(classroom)

    headers = _headers(content)
    assert headers.pop("manifest.csv") == "propertyName,value"
    assert headers == BINDING
    files = _files(content)
    manifest = {r["propertyName"]: r["value"] for r in files["manifest.csv"]}
    assert manifest["oneroster.version"] == "1.2"
    assert {k for k, v in manifest.items() if v == "bulk"} == {f"file.{n[:-4]}" for n in BINDING}
    assert manifest["file.users"] == "absent"

    competencies = 4
    assert len(files["lineItems.csv"]) == competencies
    assert len(files["results.csv"]) == competencies * len(s)
    assert {r["classSourcedId"] for r in files["lineItems.csv"]} == {"class-77"}
    assert all(r["status"] == r["dateLastModified"] == "" for f in files.values() for r in f if "status" in r)
    line_item = {r["title"]: r["sourcedId"] for r in files["lineItems.csv"]}
    score = {(r["studentSourcedId"], r["lineItemSourcedId"]): r for r in files["results.csv"]}
    mastered = score["stu-0001", line_item[u.a.code]]
    assert (mastered["score"], mastered["textScore"], mastered["scoreStatus"]) == (
        "4",
        "Mastered",
        "fully graded",
    )
    assert score["stu-0001", line_item[u.b.code]]["score"] == "3"
    assert score[f"cairn-user-{s[1].pk}", line_item[u.a.code]]["score"] == "1"
    untouched = score[f"cairn-user-{s[1].pk}", line_item[u.d.code]]
    assert (untouched["score"], untouched["scoreStatus"]) == ("", "not submitted")
    (scale,) = files["scoreScales.csv"]
    assert scale["scoreScaleValue"] == "{1:Beginning},{2:Developing},{3:Approaching mastery},{4:Mastered}"
    assert {r["resultValueMin"] + "-" + r["resultValueMax"] for r in files["lineItems.csv"]} == {"1-4"}


def test_changing_the_scale_changes_both_exports(classroom: Classroom) -> None:
    w, u, s = classroom.world, classroom.unit, classroom.students
    progress(s[0], u.a, Progress.Status.MASTERED, mastery=0.97)
    progress(s[1], u.a, mastery=0.6)
    set_scale(
        w.district_admin,
        w.district,
        levels=[(0.0, 50, "Emerging"), (0.55, 75, "Secure"), (None, 100, "Exceeds")],
    )
    files = _files(_download(classroom))
    a_item = next(r["sourcedId"] for r in files["lineItems.csv"] if r["title"] == u.a.code)
    scores = {
        r["studentSourcedId"]: r["score"] for r in files["results.csv"] if r["lineItemSourcedId"] == a_item
    }
    assert scores[f"cairn-user-{s[0].pk}"] == "100"
    assert scores[f"cairn-user-{s[1].pk}"] == "75"
    assert files["scoreScales.csv"][0]["scoreScaleValue"] == "{50:Emerging},{75:Secure},{100:Exceeds}"

    wide = client_for(w.teacher).get(reverse("insights-export", args=[w.section.pk])).content.decode()
    rows = list(csv.DictReader(io.StringIO(wide)))
    by_id = {int(r["student_id"]): r for r in rows}
    assert (by_id[s[0].pk][u.a.code], by_id[s[1].pk][u.a.code]) == ("100", "75")
    page = client_for(w.teacher).get(reverse("insights-class", args=[w.section.pk])).content.decode()
    assert "100 Exceeds (mastered)" in page


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ([(0.0, 1, "Low"), (0.5, 2, "Mid")], "mastered level"),
        ([(0.0, 2, "Low"), (None, 1, "Top")], "higher than"),
        ([(0.2, 1, "Low"), (None, 2, "Top")], "starts at mastery 0"),
        ([(0.0, 1, "Low: early"), (None, 2, "Top")], "can't hold"),
        ([(0.0, 1, "=cmd"), (None, 2, "Top")], "can't start"),
    ],
)
def test_a_bad_scale_is_refused(classroom: Classroom, levels: list, message: str) -> None:
    w = classroom.world
    with pytest.raises(Invalid, match=message):
        set_scale(w.district_admin, w.district, levels=levels)
    assert proficiency.for_district(w.district) == proficiency.DEFAULT


def test_the_scale_page_saves_a_scale_for_district_admins_only(classroom: Classroom) -> None:
    w = classroom.world
    url = reverse("learning-district-scale", args=[w.district.pk])
    assert client_for(w.teacher).get(url).status_code == 404
    admin = client_for(w.district_admin)
    assert "mastered | 4 | Mastered" in admin.get(url).content.decode()
    bad = admin.post(url, {"levels": "0 | 1 | Low\n0.5 | 2"})
    assert bad.status_code == 400
    assert "0.5 | 2" in bad.content.decode()  # what was typed is kept
    assert admin.post(url, {"levels": "0 | 1 | Low\n60% | 2 | Mid\nmastered | 3 | Top"}).status_code == 302
    assert proficiency.for_district(w.district).levels[1] == proficiency.Level(2, "Mid", 0.6)


def test_a_district_admin_gets_every_section_and_a_teacher_only_theirs(classroom: Classroom) -> None:
    w = classroom.world
    district_url = reverse("insights-oneroster-district", args=[w.district.pk])
    response = client_for(w.district_admin).get(district_url)
    assert response.status_code == 200
    classes = {r["classSourcedId"] for r in _files(response.content)["scoreScales.csv"]}
    district_sections = Section.objects.filter(school__district=w.district)
    assert classes == {f"cairn-section-{pk}" for pk in district_sections.values_list("pk", flat=True)}
    assert {w.section.pk, w.sister_section.pk} <= set(district_sections.values_list("pk", flat=True))
    assert f"cairn-section-{w.far_section.pk}" not in classes
    assert client_for(w.teacher).get(district_url).status_code == 404
    other = reverse("insights-oneroster-district", args=[w.other_district.pk])
    assert client_for(w.district_admin).get(other).status_code == 404
    sister = reverse("insights-oneroster-section", args=[w.sister_section.pk])
    assert client_for(w.teacher).get(sister).status_code == 404
    assert (
        client_for(w.student).get(reverse("insights-oneroster-section", args=[w.section.pk])).status_code
        == 404
    )


def test_unsafe_ids_are_left_out_never_escaped(classroom: Classroom) -> None:
    w, s = classroom.world, classroom.students
    s[0].sourced_id = "=HYPERLINK(1)"
    s[0].save()
    response = client_for(w.teacher).get(reverse("insights-oneroster-section", args=[w.section.pk]))
    assert response["X-Cairn-Skipped-Rows"] == "4"
    ids = {r["studentSourcedId"] for r in _files(response.content)["results.csv"]}
    assert not any(i.startswith(("=", "'")) for i in ids)
    assert len(ids) == len(s) - 1
    for bad in ("", "-1", "@x", "a\x00b", "+1"):
        with pytest.raises(oneroster_gradebook.UnsafeId):
            oneroster_gradebook.safe_id(bad)
    assert oneroster_gradebook.safe_id("stu-0001") == "stu-0001"
