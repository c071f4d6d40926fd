"""Spanish: the browser decides before sign-in, the person's own language after; the chooser saves it; dates
come from Django's format files; rosters that name a language set it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from cairn.accounts import services
from cairn.accounts.language import normalize
from cairn.accounts.models import District, User
from cairn.accounts.rosters.apply import apply_roster
from cairn.accounts.rosters.csv_package import CsvPackage
from tests.accounts.oneroster_packages import roster_11, write_package
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


SPANISH_MONTHS = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"


def test_a_spanish_browser_gets_a_spanish_login_page() -> None:
    page = Client(headers={"accept-language": "es-MX,es;q=0.9,en;q=0.5"}).get("/login/")
    html = page.content.decode()
    assert page["Content-Language"] == "es"
    assert '<html lang="es">' in html
    assert "Iniciar sesión en Cairn" in html and "Log in to Cairn" not in html
    english = Client(headers={"accept-language": "en-US"}).get("/login/").content.decode()
    assert "Log in to Cairn" in english


def test_the_persons_language_wins_after_sign_in_and_blank_means_the_browsers(world: World) -> None:
    client = client_for(world.guardian)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en-US"
    assert "Your account" in client.get("/account/").content.decode()
    services.set_language(user=world.guardian, language="es")
    assert "Tu cuenta" in client.get("/account/").content.decode()
    services.set_language(user=world.guardian, language="")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"
    assert "Tu cuenta" in client.get("/account/").content.decode()


def test_the_chooser_saves_the_language_and_goes_back(world: World) -> None:
    client = client_for(world.teacher)
    answer = client.post("/language/", {"language": "es", "next": "/account/"})
    assert answer.status_code == 302 and answer["Location"] == "/account/"
    world.teacher.refresh_from_db()
    assert world.teacher.language == "es"
    page = client.get("/account/").content.decode()
    assert '<option value="es" lang="es" selected>' in page
    # Off-site "next" goes home; before sign-in the chooser only sets the cookie.
    assert client.post("/language/", {"language": "en", "next": "https://evil.test/"})["Location"] == "/"
    anonymous = Client()
    anonymous.post("/language/", {"language": "es", "next": "/login/"})
    assert "Iniciar sesión en Cairn" in anonymous.get("/login/").content.decode()


def test_dates_are_spelled_the_spanish_way(world: World) -> None:
    services.create_api_token(world.teacher, "gradebook sync")
    services.set_language(user=world.teacher, language="es")
    page = client_for(world.teacher).get("/account/tokens/").content.decode()
    made = timezone.localdate()
    spanish = SPANISH_MONTHS.split()[made.month - 1]
    assert f"{made.day} de {spanish} de {made.year}" in page
    assert made.strftime("%B") not in page  # no English month name


@pytest.mark.parametrize(
    ("said", "code"),
    [("es", "es"), ("spa", "es"), ("Spanish", "es"), ("es-MX", "es"), ("Español", "es"), ("en_US", "en")],
)
def test_roster_language_names_become_codes(said: str, code: str) -> None:
    assert normalize(said) == code
    assert normalize("Vietnamese") == "" and normalize("") == ""


def test_a_roster_with_a_language_column_sets_families_languages(tmp_path: Path) -> None:
    district = District.objects.create(name="Lakeside", slug="lakeside")
    data = roster_11()
    for user in data["users"]:
        user["metadata.language"] = "Spanish" if user["sourcedId"] == "u-p1" else ""

    def load(data: dict[str, list[dict[str, str]]], name: str) -> None:
        package = CsvPackage(write_package(tmp_path / name, data))
        try:
            apply_roster(district, package, force=True)
        finally:
            package.close()

    load(data, "with.zip")
    assert User.objects.get(sourced_id="u-p1").language == "es"
    assert User.objects.get(sourced_id="u-s1").language == ""
    # A file without the column leaves what the person (or the last roster) chose.
    load(roster_11(), "without.zip")
    assert User.objects.get(sourced_id="u-p1").language == "es"
