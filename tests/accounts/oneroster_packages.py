"""Small OneRoster CSV packages for tests, written the way real exports are: vendor columns, blank
statuses, a password column, dates in more than one format."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

TODAY = dt.date.today()
TERM_START = TODAY - dt.timedelta(days=60)
TERM_END = TODAY + dt.timedelta(days=200)

Rows = list[dict[str, str]]


def roster_11() -> dict[str, Rows]:
    """A district (org d1), school s1, one term, a math and an art class, a teacher with an email, three
    students, a parent linked through agentSourcedIds; enrolments."""
    blank = {"status": "", "dateLastModified": ""}
    return {
        "orgs": [
            {
                "sourcedId": "d1",
                **blank,
                "name": "Lakeside",
                "type": "district",
                "identifier": "",
                "parentSourcedId": "",
            },
            {
                "sourcedId": "s1",
                **blank,
                "name": "North Elementary",
                "type": "school",
                "identifier": "N1",
                "parentSourcedId": "d1",
            },
        ],
        "academicSessions": [
            {
                "sourcedId": "t1",
                **blank,
                "title": "Year",
                "type": "schoolYear",
                "startDate": TERM_START.isoformat(),
                "endDate": TERM_END.strftime("%m/%d/%Y"),
                "parentSourcedId": "",
                "schoolYear": "2027",
            },
        ],
        "courses": [
            {
                "sourcedId": "c1",
                **blank,
                "title": "Math 4",
                "courseCode": "M4",
                "grades": "04",
                "orgSourcedId": "s1",
                "subjects": "Math",
                "schoolYearSourcedId": "t1",
            },
            {
                "sourcedId": "c2",
                **blank,
                "title": "Art",
                "courseCode": "ART",
                "grades": "04",
                "orgSourcedId": "s1",
                "subjects": "Art",
                "schoolYearSourcedId": "t1",
            },
        ],
        "classes": [
            {
                "sourcedId": "k1",
                **blank,
                "title": "Math 4A",
                "classCode": "M4A",
                "grades": "04",
                "courseSourcedId": "c1",
                "schoolSourcedId": "s1",
                "termSourcedIds": "t1",
                "subjects": "",
                "classType": "scheduled",
                "ext_color": "blue",
            },
            {
                "sourcedId": "k2",
                **blank,
                "title": "Art 4",
                "classCode": "ART4",
                "grades": "04",
                "courseSourcedId": "c2",
                "schoolSourcedId": "s1",
                "termSourcedIds": "t1",
                "subjects": "",
                "classType": "scheduled",
                "ext_color": "",
            },
        ],
        "users": [
            _user("u-t1", "teacher", "Tess", "Teach", email="tess@lakeside.test"),
            _user("u-s1", "student", "Sam", "One", grades="04", agents="u-p1"),
            _user("u-s2", "student", "Sue", "Two", grades="04"),
            _user("u-s3", "student", "Sid", "Three", grades="04"),
            _user("u-p1", "parent", "Pat", "One", email="pat@home.test"),
        ],
        "enrollments": [
            _enrol("e1", "k1", "u-t1", "teacher"),
            _enrol("e2", "k1", "u-s1", "student", begin=TERM_START.strftime("%Y-%m-%dT00:00:00Z")),
            _enrol("e3", "k1", "u-s2", "student"),
            _enrol("e4", "k1", "u-s3", "student"),
            _enrol("e5", "k2", "u-s1", "student"),
            _enrol("e6", "k2", "u-t1", "teacher"),
        ],
    }


def _user(
    sid: str, role: str, given: str, family: str, *, email: str = "", grades: str = "", agents: str = ""
) -> dict[str, str]:
    return {
        "sourcedId": sid,
        "status": "",
        "dateLastModified": "",
        "enabledUser": "true",
        "orgSourcedIds": "s1",
        "role": role,
        "username": sid,
        "userIds": "",
        "givenName": given,
        "familyName": family,
        "middleName": "",
        "identifier": "",
        "email": email,
        "sms": "",
        "phone": "",
        "agentSourcedIds": agents,
        "grades": grades,
        "password": "hunter2",
        "ext_sis_id": "9",
    }


def _enrol(
    sid: str, klass: str, user: str, role: str, *, begin: str = "", status: str = ""
) -> dict[str, str]:
    return {
        "sourcedId": sid,
        "status": status,
        "dateLastModified": "",
        "classSourcedId": klass,
        "schoolSourcedId": "s1",
        "userSourcedId": user,
        "role": role,
        "primary": "false",
        "beginDate": begin,
        "endDate": "",
    }


def roster_12(data: dict[str, Rows] | None = None) -> dict[str, Rows]:
    """The same roster as 1.2 writes it: users without role and orgs, a roles.csv instead."""
    data = {name: [dict(row) for row in rows] for name, rows in (data or roster_11()).items()}
    roles = []
    for user in data["users"]:
        role, org = user.pop("role"), user.pop("orgSourcedIds")
        user["primaryOrgSourcedId"] = org
        roles.append(
            {
                "sourcedId": f"r-{user['sourcedId']}",
                "status": "",
                "dateLastModified": "",
                "userSourcedId": user["sourcedId"],
                "roleType": "primary",
                "role": role,
                "orgSourcedId": org,
                "beginDate": "",
                "endDate": "",
            }
        )
    data["roles"] = roles
    return data


def write_package(
    path: Path, data: dict[str, Rows], *, version: str = "1.1", mode: str = "bulk", as_zip: bool = True
) -> Path:
    """The package as a zip at ``path`` (or a folder there): manifest.csv and one CSV per entity."""
    entities = (
        "orgs",
        "academicSessions",
        "courses",
        "classes",
        "users",
        "roles",
        "enrollments",
        "demographics",
    )
    manifest = [("manifest.version", "1.0"), ("oneroster.version", version)]
    manifest += [(f"file.{e}", mode if e in data else "absent") for e in entities]
    files = {"manifest.csv": _csv([{"propertyName": k, "value": v} for k, v in manifest])}
    files.update({f"{name}.csv": _csv(rows) for name, rows in data.items()})
    if as_zip:
        with zipfile.ZipFile(path, "w") as archive:
            for name, text in files.items():
                archive.writestr(name, text)
    else:
        path.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (path / name).write_text(text)
    return path


def _csv(rows: Rows) -> str:
    out = io.StringIO()
    columns = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
