"""Every model that points at a person is declared in the privacy registry, so no table escapes a
family's request; and every declaration names real fields."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings

from cairn.core.privacy import Erase, declarations, declared_fields


def _user_fields(model: type) -> set[str]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return {
        f.name
        for f in model._meta.get_fields()  # type: ignore[attr-defined]
        if f.is_relation
        and not f.auto_created
        and f.related_model is user_model
        and (f.many_to_one or f.one_to_one or f.many_to_many)
    }


def test_every_model_with_a_user_field_is_declared() -> None:
    missing = []
    for model in apps.get_models():
        label = model._meta.label
        undeclared = _user_fields(model) - declared_fields(label)
        if undeclared:
            missing.append(f"{label}: {', '.join(sorted(undeclared))}")
    assert not missing, "Declare these in the app's privacy.py (cairn.core.privacy): " + "; ".join(missing)


def test_the_user_model_itself_is_declared_as_the_account() -> None:
    user = apps.get_model(settings.AUTH_USER_MODEL)._meta.label
    assert [d.erase for d in declarations() if d.model == user] == [Erase.ACCOUNT]


def test_declarations_name_real_models_and_fields() -> None:
    for d in declarations():
        model = apps.get_model(d.model)
        for name in (*d.user_fields, *d.scrub, *(d.export if isinstance(d.export, tuple) else ())):
            model._meta.get_field(name.split("__")[0])
        for name in d.user_fields if d.erase is Erase.KEEP_WITHOUT_NAME else ():
            assert model._meta.get_field(name).null, f"{d.model}.{name} must be nullable to keep without name"


def test_every_cairn_app_with_people_declares_them() -> None:
    apps_declared = {d.app_label for d in declarations()}
    assert {
        "accounts",
        "curriculum",
        "learning",
        "agency",
        "assessments",
        "insights",
        "privacy",
    } <= apps_declared
