"""``cairn import`` as a newcomer runs it: a fresh data folder, a separate process. It creates the database,
shows progress, reports counts, is idempotent, and refuses a bad file whole with a non-zero exit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import run_cairn

FIXTURES = Path(__file__).parent / "fixtures"


def _count(data_dir: Path, table: str) -> int:
    with sqlite3.connect(data_dir / "cairn.sqlite3") as db:
        return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_import_on_a_fresh_install_reports_counts_and_is_idempotent(tmp_path: Path) -> None:
    case = str(FIXTURES / "case/ccss_4nf_subset.json")
    first = run_cairn("import", "case", case, data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "competencies: 8 new" in first.stdout
    assert "prerequisites: 3 new" in first.stdout
    assert "links: 2 new" in first.stdout
    assert "competencies:" in first.stderr
    assert "/8" in first.stderr  # the progress bar
    again = run_cairn("import", "case", case, "--no-progress", data_dir=tmp_path)
    assert again.returncode == 0
    assert "competencies: 0 new, 8 already there" in again.stdout
    assert again.stderr == ""
    assert _count(tmp_path, "curriculum_competency") == 8

    items = run_cairn(
        "import", "qti", str(FIXTURES / "qti/qti21"), "--competency", "4.NF.A.1", data_dir=tmp_path
    )
    assert items.returncode == 0, items.stderr
    assert "items: 3 new" in items.stdout
    assert "extendedTextInteraction is not supported" in items.stdout


def test_a_bad_file_exits_non_zero_naming_the_problem_and_writes_nothing(tmp_path: Path) -> None:
    result = run_cairn("import", "case", str(FIXTURES / "case/bad_missing_statement.json"), data_dir=tmp_path)
    assert result.returncode == 1
    assert "bad_missing_statement.json: CFItems[3].fullStatement: missing" in result.stderr
    assert "nothing was changed" in result.stderr
    assert _count(tmp_path, "curriculum_competency") == 0
    missing = run_cairn("import", "content", str(tmp_path / "nope.csv"), data_dir=tmp_path)
    assert missing.returncode == 2
    assert "no such file" in missing.stderr
