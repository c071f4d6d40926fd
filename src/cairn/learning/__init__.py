"""The student's loop: attempts, learner state and mastery, personal paths, release rules, review, choices."""
