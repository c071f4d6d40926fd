"""Rosters from the district's SIS (OneRoster 1.1 and 1.2): read a CSV package (``csv_package``), write it
(``apply.apply_roster``) and say what happened (``report``). The REST sync feeds the same writer through its
own ``source.RosterSource``."""
