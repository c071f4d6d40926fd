"""Issue 14, Spanish: a student whose language is Spanish gets Spanish pages (the html says so) and reads
the "I can" statements in Spanish wherever they are shown, falling back to English where none is written.
The catalog's completeness is checked elsewhere (tests of the locale): this checks the data and the wiring."""

from __future__ import annotations

import pytest

from cairn.curriculum.models import Competency
from cairn.curriculum.naming import opens_when, student_words
from tests.conftest import World, client_for
from tests.learning.conftest import Unit

SPANISH = {
    "4.NF.A.1": ("I can explain why 1/2 and 2/4 are equal.", "Puedo explicar por qué 1/2 y 2/4 son iguales."),
    "4.NF.B.3": ("I can see 3/4 as 1/4 + 1/4 + 1/4.", "Puedo ver 3/4 como 1/4 + 1/4 + 1/4."),
}


@pytest.fixture
def spanish(world: World, unit: Unit) -> Unit:
    for code, (english, spanish) in SPANISH.items():
        Competency.objects.filter(code=code).update(
            student_statement=english, translations={"es": {"student_statement": spanish}}
        )
    Competency.objects.filter(code="4.MD.A.1").update(student_statement="I can change big units into small.")
    world.student.language = "es"
    world.student.save(update_fields=["language"])
    return unit


def _html(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return response.content.decode()


def test_a_spanish_speaking_student_reads_spanish_pages_and_i_can_statements(
    world: World, spanish: Unit
) -> None:
    client = client_for(world.student)
    path = _html(client.get("/learn/"))
    assert 'lang="es"' in path
    assert SPANISH["4.NF.A.1"][1] in path and SPANISH["4.NF.A.1"][0] not in path
    assert "I can change big units into small." in path  # no Spanish written yet: the English one
    practice = _html(client.get(f"/learn/practice/{spanish.a.pk}/"))
    assert 'lang="es"' in practice
    assert f"<h1>{SPANISH['4.NF.A.1'][1]}</h1>" in practice
    home = _html(client.get("/student/"))
    assert 'lang="es"' in home
    board = path[path.index('id="board-title"') : path.index("</section>", path.index('id="board-title"'))]
    assert "Puedo " in board and "I can explain" not in board  # the choice board's titles too


def test_the_statement_follows_the_active_language(spanish: Unit) -> None:
    from django.utils import translation

    a = Competency.objects.get(code="4.NF.A.1")
    with translation.override("es"):
        assert student_words(a) == SPANISH["4.NF.A.1"][1]
        assert opens_when(a).endswith("explicar por qué 1/2 y 2/4 son iguales.")
    with translation.override("en"):
        assert student_words(a) == SPANISH["4.NF.A.1"][0]
        assert opens_when(a) == "Opens when you can explain why 1/2 and 2/4 are equal."


def test_the_demo_standards_have_a_spanish_i_can_for_every_english_one(db: None) -> None:
    from cairn.curriculum.demo import STANDARDS_CSV, _add_spanish_statements
    from cairn.curriculum.services.frameworks import import_competencies_csv

    import_competencies_csv(STANDARDS_CSV)
    _add_spanish_statements()
    _add_spanish_statements()  # again: the demo loads idempotently
    written = Competency.objects.exclude(student_statement="")
    assert written.count() > 50
    for competency in written:
        spanish = competency.translations["es"]["student_statement"]
        assert spanish.startswith("Puedo ") and spanish.endswith("."), competency.code
