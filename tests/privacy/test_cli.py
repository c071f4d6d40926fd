"""``cairn privacy export`` and ``cairn privacy erase``, run as a person would, on a fresh data folder."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cairn


def test_export_then_erase_then_export_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_cairn("manage", "migrate", "-v", "0", data_dir=data).returncode == 0
    made = run_cairn(
        "manage",
        "shell",
        "-c",
        "from cairn.accounts.models import Role; from cairn.accounts.services import create_person; "
        "create_person(username='zoe_q', first_name='Zoe', last_name='Quist', role=Role.GUARDIAN)",
        data_dir=data,
    )
    assert made.returncode == 0, made.stderr
    out = tmp_path / "out"
    export = run_cairn("privacy", "export", "zoe_q", "--out", str(out), data_dir=data)
    assert export.returncode == 0, export.stderr
    folder = out / "cairn-export-zoe_q"
    assert (folder / "README.txt").exists()
    parts = json.loads((folder / "accounts.json").read_text())["parts"]
    assert [p["rows"][0]["last_name"] for p in parts if p["part"] == "accounts.User"] == ["Quist"]

    unconfirmed = run_cairn("privacy", "erase", "zoe_q", data_dir=data)
    assert unconfirmed.returncode == 2 and "--yes" in unconfirmed.stderr
    erased = run_cairn("privacy", "erase", "zoe_q", "--yes", data_dir=data)
    assert erased.returncode == 0, erased.stderr

    again = run_cairn("privacy", "export", "zoe_q", "--out", str(out), data_dir=data)
    assert again.returncode == 1 and "was erased" in again.stderr
    unknown = run_cairn("privacy", "export", "nobody_here", "--out", str(out), data_dir=data)
    assert unknown.returncode == 1 and "No one has the username" in unknown.stderr
