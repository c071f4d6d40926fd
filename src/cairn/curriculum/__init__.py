"""Frameworks, competencies and prerequisites, content, items, vetting and link health."""
