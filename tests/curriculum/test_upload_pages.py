"""The upload pages: a district admin uploads a CASE package, a content CSV or QTI items, reads the dry run
(what will be created, or every problem by file, row and field; nothing written) and confirms. Teachers may
not import."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from cairn.curriculum.models import Competency, CompetencyLink, Content, Framework, Item
from tests.conftest import World, client_for

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.django_db


def _file(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[Path]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield tmp_path / "media"


def test_case_upload_shows_a_dry_run_then_imports_on_confirm(world: World, _media: Path) -> None:
    client = client_for(world.district_admin)
    assert client.get("/curriculum/import/").status_code == 200
    dry = client.post(
        "/curriculum/import/", {"kind": "case", "file": _file(FIXTURES / "case/sbac_math_published.json")}
    )
    assert dry.status_code == 200
    page = dry.content.decode()
    assert "What the import will do" in page
    assert '<td data-label="New">58</td>' in page  # competencies
    assert "Confirm: import it" in page
    assert Competency.objects.count() == 0  # a dry run writes nothing
    done = client.post("/curriculum/import/confirm/")
    assert done.status_code == 200
    assert "What the import did" in done.content.decode()
    assert Competency.objects.count() == 58
    assert Framework.objects.get().district == world.district  # the uploader's district owns it
    assert CompetencyLink.objects.count() == 60
    assert not any((_media / "imports").iterdir())  # the staged file is gone


def test_a_bad_file_lists_every_problem_and_cannot_be_confirmed(world: World) -> None:
    client = client_for(world.district_admin)
    dry = client.post(
        "/curriculum/import/", {"kind": "case", "file": _file(FIXTURES / "case/bad_missing_statement.json")}
    )
    page = dry.content.decode()
    assert "Refused:" in page
    assert "CFItems[3].fullStatement" in page
    assert "Confirm: import it" not in page
    bad_csv = client.post(
        "/curriculum/import/", {"kind": "content", "file": _file(FIXTURES / "csv/content_bad.csv")}
    )
    assert "row 4, field url" in bad_csv.content.decode()
    assert Content.objects.count() == 0


def test_content_csv_and_qti_zip_upload_and_enter_review(world: World) -> None:
    client = client_for(world.district_admin)
    client.post(
        "/curriculum/import/", {"kind": "case", "file": _file(FIXTURES / "case/ccss_4nf_subset.json")}
    )
    client.post("/curriculum/import/confirm/")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in (FIXTURES / "qti/qti21").iterdir():
            archive.write(file, f"items/{file.name}")
    dry = client.post(
        "/curriculum/import/", {"kind": "qti", "file": SimpleUploadedFile("items.zip", buffer.getvalue())}
    )
    assert "extendedTextInteraction is not supported" in dry.content.decode()  # listed as skipped
    client.post("/curriculum/import/confirm/")
    assert Item.objects.count() == 3
    assert set(Item.objects.values_list("status", flat=True)) == {"in_review"}


def test_teachers_may_not_import_and_a_wrong_file_type_is_refused(world: World) -> None:
    assert client_for(world.teacher).get("/curriculum/import/").status_code == 403
    client = client_for(world.district_admin)
    wrong = client.post("/curriculum/import/", {"kind": "qti", "file": _file(FIXTURES / "csv/content.csv")})
    assert wrong.status_code in (302, 400)
    neither = client.post("/curriculum/import/", {"kind": "case"})
    assert neither.status_code == 400
    assert "Give a file or a URL" in neither.content.decode()
