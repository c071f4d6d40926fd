"""Teacher pages, one module per page: Today and its one-click steps, the class view (live), a student's
drill-down, small groups, overrides, tiered tasks, station plans and the grade-book export. Thin: reads in
the selectors, rules in services and the engine, who-may-what in cairn.insights.access. A service's refusal
is a CairnError that cairn.core.middleware turns into a flash or an error page, so no view catches one.
Leaders who may see a section read the same pages without forms."""
