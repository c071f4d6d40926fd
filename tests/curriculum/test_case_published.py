"""Standards as published: a consortium's CASE package whose associations mostly point at another CASE
document (Common Core) imports, keeping those as crosswalk links resolved when the other framework arrives,
in either order. The fixture is built in the image of Smarter Balanced's mathematics content specification:
claims, targets and standards of its own; exactMatchOf/isRelatedTo to Common Core; a few isChildOf and
precedes reaching outside. Structural damage still refuses the whole file; a provider's URL is fetched."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cairn.curriculum.importers import ImportFailed
from cairn.curriculum.models import Competency, CompetencyLink, Framework, Prerequisite
from cairn.curriculum.selectors import crosswalks
from cairn.curriculum.services.frameworks import import_case
from tests.conftest import World, client_for, run_cairn

FIXTURES = Path(__file__).parent / "fixtures/case"
SBAC = FIXTURES / "sbac_math_published.json"
CCSS = FIXTURES / "ccss_4nf_subset.json"
PACKAGE_PATH = "/ims/case/v1p0/CFPackages/sbac"


def _outside(link: CompetencyLink) -> bool:
    return link.origin_id is None or link.destination_id is None


@pytest.mark.django_db
def test_the_published_package_imports_with_its_cross_document_links_kept() -> None:
    report = import_case(SBAC)
    assert report.created == {"frameworks": 1, "competencies": 58, "prerequisites": 2, "links": 60}
    links = list(CompetencyLink.objects.all())
    assert all(_outside(link) for link in links)  # nothing of Common Core is here yet
    exact = [link for link in links if link.association_type == "exactMatchOf"]
    assert len(exact) == 36
    assert all(link.destination_uri.startswith("https://casenetwork.imsglobal.org/uri/") for link in exact)
    assert all(link.destination_identifier for link in exact)
    # isChildOf with an outside origin (what the import stopped at) is a link, not a hierarchy
    child_links = CompetencyLink.objects.filter(association_type="isChildOf")
    assert child_links.count() == 3
    assert all(link.origin is None and link.destination is not None for link in child_links)
    target = Competency.objects.get(code="M.G4.C1.TF")
    assert target.parent == Competency.objects.get(code="M.C1")  # the document's own tree is whole
    assert Competency.objects.get(code="M.G4.C1.TF.4.NF.A.1").parent == target
    assert set(Prerequisite.objects.values_list("prerequisite__code", "competency__code")) == {
        ("M.G3.C1.TF", "M.G4.C1.TF"),
        ("M.G4.C1.TF", "M.G5.C1.TE"),
    }
    assert CompetencyLink.objects.filter(association_type="precedes").count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("order", [(SBAC, CCSS), (CCSS, SBAC)], ids=["sbac-first", "ccss-first"])
def test_crosswalks_resolve_when_the_other_framework_arrives_in_either_order(
    order: tuple[Path, Path],
) -> None:
    for path in order:
        import_case(path)
    sbac_a1 = Competency.objects.get(code="M.G4.C1.TF.4.NF.A.1")
    ccss_a1 = Competency.objects.get(code="4.NF.A.1")
    exact = CompetencyLink.objects.get(origin=sbac_a1, association_type="exactMatchOf")
    assert exact.destination == ccss_a1
    placed = CompetencyLink.objects.get(association_type="isChildOf", origin=ccss_a1)
    assert placed.destination == Competency.objects.get(code="M.G4.C1.TF")
    assert ccss_a1.parent == Competency.objects.get(code="4.NF.A")  # no hierarchy across documents
    before = CompetencyLink.objects.get(
        association_type="precedes", destination=Competency.objects.get(code="4.NF.B.3.b")
    )
    assert before.origin == Competency.objects.get(code="M.G4.C1.TG")
    edges = Prerequisite.objects.select_related("prerequisite", "competency")
    assert all(e.prerequisite.framework_id == e.competency.framework_id for e in edges)  # none across
    resolved = CompetencyLink.objects.exclude(origin=None).exclude(destination=None)
    assert resolved.filter(framework__title__startswith="Smarter").count() == 10
    shown = crosswalks(ccss_a1)
    assert {(x.association_type, x.outgoing) for x in shown} >= {("exactMatchOf", False), ("isChildOf", True)}
    assert all(x.other is not None for x in shown if x.association_type == "isChildOf")
    Framework.objects.get(title__startswith="Common Core").delete()  # its ends go back to waiting
    assert CompetencyLink.objects.filter(framework__title__startswith="Smarter").count() == 60
    exact.refresh_from_db()
    assert exact.destination is None
    import_case(CCSS)
    exact.refresh_from_db()
    assert exact.destination == Competency.objects.get(code="4.NF.A.1")


@pytest.mark.django_db
def test_structural_damage_still_refuses_the_whole_file(tmp_path: Path) -> None:
    text = SBAC.read_text(encoding="utf-8")
    truncated = tmp_path / "truncated.json"
    truncated.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"truncated.json: line \d+, column \d+: not JSON"):
        import_case(truncated)
    data = json.loads(text)
    del data["CFAssociations"][70]["destinationNodeURI"]["identifier"]
    del data["CFItems"][5]["fullStatement"]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        import_case(broken)
    messages = {str(p) for p in caught.value.problems}
    assert "broken.json: CFItems[5].fullStatement: missing" in messages
    assert "broken.json: CFAssociations[70].destinationNodeURI.identifier: missing" in messages
    assert Framework.objects.count() == 0


class _Provider(BaseHTTPRequestHandler):
    """A CASE provider on loopback: the package at its CFPackages URL, HTML elsewhere."""

    def do_GET(self) -> None:
        if self.path == PACKAGE_PATH:
            body, kind, status = SBAC.read_bytes(), "application/json", 200
        elif self.path.endswith("/html"):
            body, kind, status = b"<html>sign in</html>", "text/html", 200
        else:
            body, kind, status = b'{"error": "no such package"}', "application/json", 404
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def provider() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Provider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_cairn_import_case_fetches_a_provider_url(provider: str, tmp_path: Path) -> None:
    done = run_cairn("import", "case", provider + PACKAGE_PATH, "--no-progress", data_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "competencies: 58 new" in done.stdout
    assert "links: 60 new" in done.stdout
    missing = run_cairn("import", "case", provider + PACKAGE_PATH + "x", data_dir=tmp_path)
    assert missing.returncode == 1
    assert "the provider answered 404" in missing.stderr


@pytest.mark.django_db
def test_a_provider_answer_that_is_not_json_or_not_a_package_url_is_refused(provider: str) -> None:
    with pytest.raises(ImportFailed, match="answered text/html, not JSON"):
        import_case(provider + "/ims/case/v1p0/CFPackages/html")
    with pytest.raises(ImportFailed, match="not a CASE package URL"):
        import_case(provider + "/anything")
    assert Framework.objects.count() == 0


def test_the_competency_page_shows_crosswalks_resolved_and_not(world: World) -> None:
    import_case(SBAC)
    import_case(CCSS)
    standard = Competency.objects.get(code="M.G4.C1.TF.4.NF.A.1")
    page = client_for(world.teacher).get(f"/curriculum/competencies/{standard.pk}/").content.decode()
    assert "Crosswalks to other standards" in page
    assert f'href="/curriculum/competencies/{Competency.objects.get(code="4.NF.A.1").pk}/"' in page
    other = Competency.objects.get(code="M.G3.C1.TA.3.OA.A.1")
    page = client_for(world.teacher).get(f"/curriculum/competencies/{other.pk}/").content.decode()
    assert "(not in your library)" in page
    assert "https://casenetwork.imsglobal.org/uri/" in page


def test_a_crosswalk_into_another_districts_framework_is_not_opened(world: World) -> None:
    import_case(SBAC)
    import_case(CCSS, district=world.other_district)
    standard = Competency.objects.get(code="M.G4.C1.TF.4.NF.A.1")
    page = client_for(world.teacher).get(f"/curriculum/competencies/{standard.pk}/").content.decode()
    assert f"/curriculum/competencies/{Competency.objects.get(code='4.NF.A.1').pk}/" not in page
    assert "(not in your library)" in page
