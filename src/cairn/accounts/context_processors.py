from django.http import HttpRequest

from cairn.accounts.access import home_url_names


def roles(request: HttpRequest) -> dict[str, object]:
    """The signed-in person's homes, for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"role_homes": []}
    return {"role_homes": home_url_names(user)}
