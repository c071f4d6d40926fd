"""Principals and district admins reach any class in their scope from their home, by links, down to the
teacher's Today and class view; nobody reaches a class outside it (issue 18, dead ends)."""

from __future__ import annotations

from django.urls import reverse

from cairn.accounts import services
from cairn.accounts.models import Role
from tests.conftest import PASSWORD, World, client_for


def _today(section_pk: int) -> str:
    return reverse("insights-today", args=[section_pk])


def _class(section_pk: int) -> str:
    return reverse("insights-class", args=[section_pk])


def test_a_principal_goes_from_home_to_each_class_today_and_class_view(world: World) -> None:
    leader = client_for(world.leader)
    home = leader.get(reverse("school-home")).content.decode()
    for section in (world.section, world.sister_section):
        assert _today(section.pk) in home and _class(section.pk) in home
        assert leader.get(_today(section.pk)).status_code == 200
        assert leader.get(_class(section.pk)).status_code == 200
    assert world.teacher.display_name in home  # which teacher's class it is
    assert _today(world.far_section.pk) not in home


def test_a_principal_of_another_school_neither_sees_nor_reaches_the_class(world: World) -> None:
    other = services.create_person(
        username="olga_leader",
        first_name="Olga",
        last_name="Leader",
        role=Role.SCHOOL_LEADER,
        school=world.sister_school,
        password=PASSWORD,
    )
    client = client_for(other)
    assert _today(world.section.pk) not in client.get(reverse("school-home")).content.decode()
    assert client.get(_today(world.section.pk)).status_code == 404
    assert client.get(_class(world.section.pk)).status_code == 404
    assert client.get(reverse("school-detail", args=[world.school.pk])).status_code == 404


def test_a_district_admin_goes_from_home_to_a_school_then_to_its_classes(world: World) -> None:
    admin = client_for(world.district_admin)
    home = admin.get(reverse("district-home")).content.decode()
    school_url = reverse("school-detail", args=[world.school.pk])
    assert school_url in home
    assert reverse("school-detail", args=[world.sister_school.pk]) in home
    assert reverse("school-detail", args=[world.far_school.pk]) not in home
    school = admin.get(school_url).content.decode()
    assert _today(world.section.pk) in school and _class(world.sister_section.pk) in school
    assert _today(world.far_section.pk) not in school
    assert admin.get(_today(world.section.pk)).status_code == 200
    assert admin.get(reverse("school-detail", args=[world.far_school.pk])).status_code == 404


def test_a_teacher_cannot_open_a_school_page(world: World) -> None:
    assert client_for(world.teacher).get(reverse("school-detail", args=[world.school.pk])).status_code == 403


def test_a_platform_admin_reaches_any_school_from_home(world: World) -> None:
    admin = client_for(world.platform_admin)
    far = reverse("school-detail", args=[world.far_school.pk])
    assert far in admin.get(reverse("platform-home")).content.decode()
    assert _today(world.far_section.pk) in admin.get(far).content.decode()
