"""Everything that writes curriculum data, one module per concern. Each public function is one transaction.

- ``frameworks``: standards: CASE packages, competencies from CSV, single prerequisite edges;
- ``imports``: content from CSV, items from QTI, parametric item templates (and the import plumbing);
- ``content``: a teacher's own content, its sharing and retiring, and trusted library loads;
- ``sections``: what one section sees of a piece of content (hidden or replaced);
- ``items``: a teacher's own questions;
- ``review``: reviewers' decisions on content and questions;
- ``links``: link health; ``notices``: what the library tells a content owner;
- ``alignment``: the competencies a person or a file names; ``field_errors``: how a refused input reads.

Imports read the whole file first (cairn.curriculum.importers), check every record against the database
(references, the prerequisite DAG), and only then write, inside one transaction: any problem refuses the
whole import and changes nothing. Records are matched by their identifiers, so importing the same file
again updates in place and creates nothing new.
"""
