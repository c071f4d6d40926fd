"""Sharing with other districts and adopting what they share (see cairn.curriculum.ownership): the owner
opts approved content or a question into the shared library; another district's reviewer adopts it for
their district with one click, on the strength of the owner district's review."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from cairn.accounts.models import District, User
from cairn.core.errors import Conflict, Forbidden, NotFound
from cairn.curriculum import access
from cairn.curriculum.models import Adoption, Content, Item, Status


@transaction.atomic
def set_shared(*, user: User, thing: Content | Item, shared: bool) -> Content | Item:
    """Offer approved content or a question to other districts (or stop offering it: adoptions stay)."""
    if not access.can_share(user, thing):
        raise Forbidden(_("Only its author or its district's reviewers share it with other districts."))
    if shared and thing.status != Status.APPROVED:
        raise Conflict(_("Only approved content and questions are shared with other districts."))
    thing.shared = shared
    thing.save(update_fields=["shared"])
    return thing


@transaction.atomic
def adopt(*, user: User, thing: Content | Item, district: District | None = None) -> Adoption:
    """Adopt another district's shared, approved content or question for one of the person's districts
    (theirs when they have one). Adopting twice changes nothing."""
    allowed = [d for d in access.adoptable_for(user) if d != thing.district_id]
    if not allowed or not access.can_adopt(user, thing):
        raise Forbidden(_("Only a district's reviewers adopt shared content for it."))
    target = district.pk if district is not None else allowed[0]
    if target not in allowed:
        raise NotFound(_("No such district."))
    field = "content" if isinstance(thing, Content) else "item"
    adoption, _created = Adoption.objects.get_or_create(
        district_id=target, **{field: thing}, defaults={"adopted_by": user}
    )
    return adoption


@transaction.atomic
def unadopt(*, user: User, thing: Content | Item) -> int:
    """Stop using another district's content or question in the person's districts."""
    mine = access.adoptable_for(user)
    if not mine:
        raise Forbidden(_("Only a district's reviewers change what it adopts."))
    field = "content" if isinstance(thing, Content) else "item"
    deleted, _by_model = Adoption.objects.filter(district_id__in=mine, **{field: thing}).delete()
    return deleted
