"""Everything in assessments that writes, one module per entity: ``sittings`` (start, serve, answer, finish
and place) and ``calibration`` (fit item parameters, keep a flagged item). Reads live in
:mod:`cairn.assessments.selectors`."""
