"""A teacher gives a student of their class a new password on a printable sign-in card; nobody else does
(issue 18: the lockout page said "ask your teacher", and teachers could not)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from cairn.accounts import services, throttle
from cairn.accounts.models import Role, User
from cairn.core.models import AuditAction, AuditEvent
from tests.conftest import PASSWORD, World, client_for


def _url(world: World) -> str:
    return reverse("section-passwords", args=[world.section.pk])


def _still_has_old_password(user: User) -> bool:
    user.refresh_from_db()
    return user.check_password(PASSWORD)


def test_a_teacher_gives_a_student_a_new_password_on_a_card(world: World) -> None:
    teacher = client_for(world.teacher)
    page = teacher.get(_url(world)).content.decode()
    assert world.student.username in page and world.classmate.username in page
    assert world.former_student.username not in page and world.schoolmate.username not in page
    for _ in range(6):  # the student tried too often and is being slowed down
        throttle.record_failure(username=world.student.username, address=None)

    response = teacher.post(_url(world), {"students": [world.student.pk]})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = re.search(r'class="card-password">([^<]+)<', response.content.decode()).group(1)  # type: ignore[union-attr]
    assert not _still_has_old_password(world.student)
    assert _still_has_old_password(world.classmate)  # only the chosen student
    signed_in = Client().post(reverse("login"), {"username": world.student.username, "password": password})
    assert signed_in.status_code == 302  # at once: the new password also ends the slowing
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_RESET)
    assert (event.actor_id, event.student_id, event.section_id) == (
        world.teacher.pk,
        world.student.pk,
        world.section.pk,
    )
    assert password not in str(event.detail)


def test_cards_for_the_whole_class_give_each_student_their_own_password(world: World) -> None:
    response = client_for(world.teacher).post(_url(world), {"whole_class": "1"})
    passwords = re.findall(r'class="card-password">([^<]+)<', response.content.decode())
    assert len(passwords) == 2 and len(set(passwords)) == 2
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET).count() == 2
    assert _still_has_old_password(world.former_student)


# A leader may see the class but not change it: 403 (a refused post flashes it and goes back); everyone
# else may not even see it: 404, as for a class that doesn't exist.
@pytest.mark.parametrize(
    ("who", "status", "post_status"),
    [
        ("colleague", 404, 404),
        ("former_teacher", 404, 404),
        ("student", 404, 404),
        ("guardian", 404, 404),
        ("leader", 403, 302),
    ],
)
def test_no_one_but_the_classes_teacher_may_reset_its_passwords(
    world: World, who: str, status: int, post_status: int
) -> None:
    client = client_for(getattr(world, who))
    assert client.get(_url(world)).status_code == status
    assert client.post(_url(world), {"students": [world.student.pk]}).status_code == post_status
    assert _still_has_old_password(world.student)
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET).exists()


def test_a_teacher_cannot_reset_a_student_of_another_class(world: World) -> None:
    response = client_for(world.teacher).post(_url(world), {"students": [world.schoolmate.pk]})
    assert response.status_code == 302  # refused: the message is flashed on the form
    assert _still_has_old_password(world.schoolmate)


def test_a_teacher_cannot_take_over_an_account_with_another_role_through_the_class_list(world: World) -> None:
    services.grant_role(world.classmate, Role.TEACHER, school=world.school)  # a staff member enrolled too
    teacher = client_for(world.teacher)
    assert world.classmate.username not in teacher.get(_url(world)).content.decode()
    teacher.post(_url(world), {"students": [world.classmate.pk]})
    assert _still_has_old_password(world.classmate)


def test_the_class_page_links_its_teacher_to_passwords(world: World) -> None:
    section_page = reverse("section-detail", args=[world.section.pk])
    assert _url(world) in client_for(world.teacher).get(section_page).content.decode()
    assert _url(world) not in client_for(world.leader).get(section_page).content.decode()
