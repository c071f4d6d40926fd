"""The Spanish catalog is complete and current: no empty or fuzzy entries, the committed .mo says what the
.po says, and the marked strings of the code are all in it (else `make messages` was not run)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src" / "cairn" / "locale"
PO = LOCALE / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _key(entry: polib.POEntry | polib.MOEntry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


def _translations(entries: polib._BaseFile) -> dict[tuple[str | None, str], object]:
    return {
        _key(e): (tuple(sorted(e.msgstr_plural.items())) if e.msgid_plural else e.msgstr)
        for e in entries
        if e.msgid
    }


def test_every_entry_is_translated_and_none_is_fuzzy() -> None:
    po = polib.pofile(str(PO))
    assert po.metadata.get("Language") == "es" and not po.metadata_is_fuzzy
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


def test_the_committed_mo_matches_the_po() -> None:
    po, mo = polib.pofile(str(PO)), polib.mofile(str(MO))
    assert _translations(mo) == _translations(po.translated_entries()), (
        "django.mo is stale: run `make messages` (or compilemessages)"
    )


@pytest.mark.skipif(not (shutil.which("xgettext") and shutil.which("msgmerge")), reason="needs gettext")
def test_every_marked_string_is_in_the_catalog(tmp_path: Path) -> None:
    """makemessages over a copy of the code; any msgid it finds that the committed catalog lacks fails."""
    tree = tmp_path / "cairn"
    shutil.copytree(
        ROOT / "src" / "cairn", tree, ignore=shutil.ignore_patterns("__pycache__", "locale", "*.mo")
    )
    (tree / "locale").mkdir()
    command = [sys.executable, "-m", "django", "makemessages", "-l", "es", "--no-location", "--no-wrap"]
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(command, cwd=tree, check=True, capture_output=True, env=env)
    found = {
        _key(e) for e in polib.pofile(str(tree / "locale" / "es" / "LC_MESSAGES" / "django.po")) if e.msgid
    }
    committed = {_key(e) for e in polib.pofile(str(PO))}
    missing = sorted(found - committed, key=str)
    assert not missing, (
        f"{len(missing)} marked strings missing from the catalog (run `make messages`): {missing[:5]}"
    )
