"""Response logs for knowledge tracing: one ordered sequence of (skill, correct) per student.

The web app builds sequences from its attempts table with :func:`sequences_from_records`; research
datasets come in the three-line text format read by :func:`read_three_line`:

    15                      <- number of responses
    1,1,1,4,4,7,...         <- skill (or question) ids, in the order answered
    0,1,1,0,1,1,...         <- correctness, 1 right and 0 wrong

Lines may end with a stray comma. Any other deviation is an error naming the file and line, and nothing
is returned: a file either reads whole or not at all.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


class DataFormatError(ValueError):
    """Bad input in a response log; ``line`` is 1-based (0 when the problem is the whole file)."""

    def __init__(self, source: str, line: int, message: str) -> None:
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}, line {line}" if line else source
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class StudentSequence:
    """One student's answers in the order given. ``skills`` holds the dataset's own skill or item ids."""

    student: str
    skills: IntArray
    correct: IntArray

    def __post_init__(self) -> None:
        if self.skills.shape != self.correct.shape or self.skills.ndim != 1:
            raise ValueError(f"student {self.student}: skills and correct must be 1-D and the same length")
        if self.correct.size and not np.isin(self.correct, (0, 1)).all():
            raise ValueError(f"student {self.student}: correct must be 0 or 1")

    def __len__(self) -> int:
        return int(self.skills.size)

    @classmethod
    def of(cls, student: str, skills: Sequence[int], correct: Sequence[int]) -> StudentSequence:
        return cls(student, np.asarray(skills, dtype=np.int64), np.asarray(correct, dtype=np.int64))


def _parse_ints(text: str, source: str, line: int, what: str) -> list[int]:
    text = text.strip()
    if text.endswith(","):
        text = text[:-1]
    if not text:
        raise DataFormatError(source, line, f"expected comma-separated {what}, found an empty line")
    out: list[int] = []
    for field in text.split(","):
        try:
            out.append(int(field))
        except ValueError:
            raise DataFormatError(source, line, f"{what}: {field.strip()!r} is not an integer") from None
    return out


def parse_three_line(lines: Iterable[str], source: str = "<input>") -> list[StudentSequence]:
    """Parse the three-line format (see the module docstring); raises :class:`DataFormatError`."""
    rows = [ln for ln in lines]
    # Trailing blank lines are harmless; blank lines inside a record are not.
    while rows and not rows[-1].strip():
        rows.pop()
    if not rows:
        raise DataFormatError(source, 0, "the file is empty: no student records")
    if len(rows) % 3:
        raise DataFormatError(
            source,
            len(rows),
            f"the file has {len(rows)} lines, not a multiple of 3: the last record is incomplete",
        )
    out: list[StudentSequence] = []
    for start in range(0, len(rows), 3):
        n_line, s_line, c_line = start + 1, start + 2, start + 3
        header = rows[start].strip().rstrip(",")
        try:
            n = int(header)
        except ValueError:
            raise DataFormatError(
                source, n_line, f"expected the number of responses, found {header[:40]!r}"
            ) from None
        if n <= 0:
            raise DataFormatError(source, n_line, f"the number of responses must be positive, not {n}")
        skills = _parse_ints(rows[start + 1], source, s_line, "skill ids")
        correct = _parse_ints(rows[start + 2], source, c_line, "correctness values")
        if len(skills) != n:
            raise DataFormatError(source, s_line, f"{len(skills)} skill ids, but line {n_line} says {n}")
        if len(correct) != n:
            raise DataFormatError(
                source, c_line, f"{len(correct)} correctness values, but line {n_line} says {n}"
            )
        bad = [v for v in correct if v not in (0, 1)]
        if bad:
            raise DataFormatError(source, c_line, f"correctness must be 0 or 1, found {bad[0]}")
        neg = [v for v in skills if v < 0]
        if neg:
            raise DataFormatError(source, s_line, f"skill ids must be non-negative, found {neg[0]}")
        out.append(StudentSequence.of(f"s{start // 3 + 1}", skills, correct))
    return out


def read_three_line(path: str | Path) -> list[StudentSequence]:
    """Read a three-line-format file; errors name the file and line."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataFormatError(str(p), 0, f"not UTF-8 text ({exc.reason})") from None
    return parse_three_line(text.splitlines(), source=str(p))


def sequences_from_records(
    records: Iterable[tuple[Hashable, int, int, float]],
) -> list[StudentSequence]:
    """Group (student, skill, correct, order) records into per-student sequences sorted by order.

    ``order`` is anything sortable per student: a timestamp or a running number. Ties keep input order.
    """
    by_student: dict[Hashable, list[tuple[float, int, int, int]]] = {}
    for i, (student, skill, correct, order) in enumerate(records):
        if correct not in (0, 1):
            raise ValueError(f"record {i + 1}: correct must be 0 or 1, not {correct!r}")
        by_student.setdefault(student, []).append((order, i, int(skill), int(correct)))
    out = []
    for student, rows in by_student.items():
        rows.sort()
        out.append(StudentSequence.of(str(student), [r[2] for r in rows], [r[3] for r in rows]))
    return out


def split_by_student(
    sequences: Sequence[StudentSequence], fraction: float, seed: int
) -> tuple[list[StudentSequence], list[StudentSequence]]:
    """Split students (not responses) into (rest, held_out) with ``fraction`` of them held out."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(sequences))
    n_held = max(1, round(fraction * len(sequences))) if len(sequences) > 1 else 0
    held = set(order[:n_held].tolist())
    rest = [s for i, s in enumerate(sequences) if i not in held]
    return rest, [s for i, s in enumerate(sequences) if i in held]
