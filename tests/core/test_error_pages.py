"""Every error is one styled page with a way back, never Django's bare or debug page (issue 18, dead ends)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.module_loading import import_string

from cairn.project import urls as project_urls
from tests.conftest import World, client_for


def _page(response) -> str:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    assert 'class="error-page"' in html, html[:500]
    assert "cairn/cairn.css" in html  # the site layout, not a bare page
    return html


def test_an_unknown_page_is_a_styled_404_with_a_way_back(db: None, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    response = Client().get("/no-such-page/", headers={"Referer": "http://testserver/learn/"})
    assert response.status_code == 404
    html = _page(response)
    assert "We can't find that page" in html
    assert 'href="http://testserver/learn/"' in html  # back where they came from
    assert 'href="/login/?next=/no-such-page/"' in html  # signed out: sign in
    assert "URLconf" not in html and "urlpatterns" not in html  # never the debug page's URL list


def test_a_404_sends_a_signed_in_person_home_and_never_back_to_another_site(world: World) -> None:
    response = client_for(world.student).get("/no-such-page/", headers={"Referer": "https://evil.example/"})
    html = _page(response)
    assert '<a href="/">Your home page</a>' in html
    assert "evil.example" not in html


def test_a_page_for_another_role_is_a_styled_403_that_says_why(world: World) -> None:
    response = client_for(world.student).get(reverse("teacher-home"))
    assert response.status_code == 403
    html = _page(response)
    assert "This page is for another role." in html
    assert '<a href="/">Your home page</a>' in html


def test_an_expired_form_is_a_styled_403(world: World) -> None:
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "This form has expired" in _page(response)


@pytest.mark.urls("tests.core.error_page_urls")
def test_a_bug_is_a_styled_500_with_a_way_home(db: None) -> None:
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    html = _page(response)
    assert "Something went wrong on our side" in html
    assert '<a href="/">Home page</a>' in html
    assert "a bug" not in html and "Traceback" not in html


def test_the_500_page_renders_without_the_database_or_a_session() -> None:
    # No db fixture: pytest-django refuses any query, so this fails if the page needs the database (which
    # may be what failed); no session, no user either.
    request = RequestFactory().get("/somewhere/")
    response = import_string(project_urls.handler500)(request)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_the_api_answers_an_unknown_path_in_json(db: None) -> None:
    response = Client().get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_static_files_are_served_without_debug(db: None, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False  # WhiteNoise serves them, as in the demo and `cairn serve`
    response = Client().get("/static/cairn/cairn.css")
    assert response.status_code == 200
    assert b".error-page" in b"".join(response.streaming_content)


def test_the_way_back_is_never_the_page_that_failed(world: World) -> None:
    here = "http://testserver/no-such-page/"
    html = _page(client_for(world.student).get("/no-such-page/", headers={"Referer": here}))
    assert here not in html
