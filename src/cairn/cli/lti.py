"""``cairn lti``: put Cairn in a district's LMS (LTI 1.3).

- ``cairn lti add-platform --name NAME --issuer ISS --client-id ID --deployment-id DID --auth-url URL
  --token-url URL --keyset-url URL [--district SLUG] [--frame-origin URL ...] [--base-url URL]`` registers the
  LMS and prints the tool's URLs to paste into it;
- ``cairn lti urls [--base-url URL]`` prints those URLs again;
- ``cairn lti rotate-keys [--retire-after-days N]`` adds a signing key and retires old ones.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "lti",
        help="put Cairn in a district's LMS (LTI 1.3): register it, print the tool's URLs, rotate keys",
        description="Cairn as an LTI 1.3 tool: register an LMS, print the URLs to paste in it, rotate keys.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add-platform", help="register an LMS and print the tool's URLs for it")
    add.add_argument("--name", required=True, help="what to call this LMS, e.g. 'District Canvas'")
    add.add_argument(
        "--issuer", required=True, help="the LMS's issuer (iss), e.g. https://canvas.instructure.com"
    )
    add.add_argument("--client-id", required=True, help="the client id the LMS gave Cairn")
    add.add_argument("--deployment-id", required=True, help="the deployment id the LMS gave Cairn")
    add.add_argument("--auth-url", required=True, help="the LMS's OIDC authorization (login) URL")
    add.add_argument("--token-url", required=True, help="the LMS's OAuth 2 access token URL")
    add.add_argument("--keyset-url", required=True, help="the LMS's public keyset (JWKS) URL")
    add.add_argument(
        "--district", metavar="SLUG", help="the district it belongs to (needed if there are several)"
    )
    add.add_argument(
        "--frame-origin",
        action="append",
        default=[],
        metavar="URL",
        help="another web address the LMS shows its pages at (repeatable), e.g. https://district.instructure.com",
    )
    urls = actions.add_parser("urls", help="print the tool's URLs to paste into an LMS")
    rotate = actions.add_parser(
        "rotate-keys", help="add a signing key; retire keys older than the grace period"
    )
    rotate.add_argument("--retire-after-days", type=int, default=7, metavar="N")
    for sub in (add, urls):
        sub.add_argument("--base-url", help="where people reach Cairn (default: CAIRN_BASE_URL)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from cairn.cli.django_setup import setup_django

    setup_django(migrate=True, verbosity=0)
    from cairn.core.errors import CairnError

    try:
        return _act(args)
    except CairnError as exc:
        print(f"cairn lti {args.action}: {exc.message}", file=sys.stderr)
        return 1


def _act(args: argparse.Namespace) -> int:
    from django.conf import settings

    from cairn.lti import registration

    if args.action == "rotate-keys":
        key, retired = registration.rotate_keys(retire_after_days=args.retire_after_days)
        print(f"New signing key {key}; {retired} older key(s) retired. The key set: /lti/jwks/")
        return 0
    base = args.base_url or settings.CAIRN_BASE_URL
    if args.action == "add-platform":
        platform = registration.add_platform(
            district=_district(args.district),
            name=args.name,
            issuer=args.issuer,
            client_id=args.client_id,
            deployment_id=args.deployment_id,
            auth_url=args.auth_url,
            token_url=args.token_url,
            keyset_url=args.keyset_url,
            frame_origins=tuple(args.frame_origin),
        )
        print(f"Registered {platform.registration.name} for {platform.district}. Paste these into the LMS:")
    print("\n".join(registration.tool_urls(base).lines()))
    return 0


def _district(slug: str | None) -> Any:
    from cairn.accounts.models import District
    from cairn.core.errors import Invalid

    districts = District.objects.filter(slug=slug) if slug else District.objects.all()
    found = list(districts[:2])
    if len(found) != 1:
        named = ", ".join(District.objects.values_list("slug", flat=True)) or "none yet"
        raise Invalid(f"Name the district with --district (districts: {named}).", field="district")
    return found[0]
