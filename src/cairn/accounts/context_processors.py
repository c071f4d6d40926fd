from django.http import HttpRequest

from cairn.accounts.access import home_url_names
from cairn.accounts.models import Role


def roles(request: HttpRequest) -> dict[str, object]:
    """The signed-in person's homes, for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"role_homes": []}
    # (label, url name): "District admin", not the stored value "district_admin".
    return {"role_homes": [(Role(role).label, name) for role, name in home_url_names(user)]}
