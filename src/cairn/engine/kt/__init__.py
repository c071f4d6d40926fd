"""Knowledge tracing: learner models that know what each student knows, updated online per answer."""
