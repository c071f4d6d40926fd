"""Families in the loop: a plain-language page per child for their guardians, the teacher's notes to the
family, and the weekly digest by email in the family's language, opened with a signed, expiring link."""
