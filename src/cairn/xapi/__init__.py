"""xAPI: every answer, mastery, completed activity and diagnostic sitting out to the district's LRS through a
durable outbox, and statements in from the tools a district registers, as evidence for the learner model."""
