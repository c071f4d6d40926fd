"""Districts, schools, sections, people, their roles and enrolments, and who may see whom."""
