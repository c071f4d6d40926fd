"""The privacy app's writes, one module per thing a district does for a family or a departing teacher:

- ``records``: the rows the registry (cairn.core.privacy) declares for one person, read and written;
- ``export``: everything about a person as readable JSON per app, with an index;
- ``erasure``: erase a person (delete, anonymize, keep without name) and remember it without the name;
- ``staff``: a staff member leaves without blocking anything;
- ``retention``: erase students whose classes ended longer ago than their district keeps data;
- ``requests``: a family's request, logged, approved and fulfilled by district admins;
- ``events``: the one place privacy actions reach the audit trail.
"""
