"""The demo district: a deterministic seed of schools, sections, teachers, students and guardians.

Names are drawn with a fixed seed from lists of common given names and surnames across the communities
of a US district, so two runs give the same people and the same logins.
"""

from __future__ import annotations

import base64
import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cairn.accounts import devices, services
from cairn.accounts.models import District, Enrolment, Role, School, Section, User

DEMO_PASSWORD = "cairn-demo-2026"
# The demo district admin's authenticator secret (district admins always sign in in two steps). Published
# like the password: type DEMO_TOTP_SECRET into an authenticator app, or run `cairn manage demo_code`.
DEMO_TOTP_KEY = b"cairn-demo-totp-2026".hex()
DEMO_TOTP_SECRET = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()
DEMO_TWO_FACTOR_USERNAMES = ("admin.maple",)
DISTRICT_SLUG = "maple-valley"

GIVEN_NAMES = [
    "Aaliyah",
    "Aarav",
    "Abigail",
    "Adrian",
    "Aisha",
    "Alejandro",
    "Amara",
    "Amir",
    "Ana",
    "Andre",
    "Ava",
    "Benjamin",
    "Camila",
    "Carlos",
    "Chloe",
    "Daniel",
    "Deja",
    "Diego",
    "Elena",
    "Eli",
    "Emily",
    "Emma",
    "Ethan",
    "Fatima",
    "Gabriel",
    "Grace",
    "Hana",
    "Hiroshi",
    "Imani",
    "Isaac",
    "Isabella",
    "Jada",
    "Jamal",
    "Jasmine",
    "Javier",
    "Jayden",
    "Kai",
    "Kiara",
    "Leah",
    "Liam",
    "Lucas",
    "Luis",
    "Maya",
    "Mateo",
    "Mia",
    "Mohammed",
    "Nadia",
    "Naomi",
    "Noah",
    "Olivia",
    "Omar",
    "Priya",
    "Rafael",
    "Riya",
    "Rosa",
    "Samuel",
    "Sofia",
    "Tariq",
    "Thanh",
    "Valentina",
    "Wei",
    "Xavier",
    "Yara",
    "Yusuf",
    "Zara",
    "Zoe",
    "Malik",
    "Nia",
    "Owen",
    "Lily",
]
SURNAMES = [
    "Adams",
    "Ahmed",
    "Alvarez",
    "Anderson",
    "Baker",
    "Brown",
    "Campbell",
    "Castillo",
    "Chen",
    "Clark",
    "Cruz",
    "Davis",
    "Diaz",
    "Edwards",
    "Evans",
    "Flores",
    "Garcia",
    "Gomez",
    "Gonzalez",
    "Green",
    "Hall",
    "Harris",
    "Hernandez",
    "Hill",
    "Huang",
    "Jackson",
    "Johnson",
    "Khan",
    "Kim",
    "King",
    "Lee",
    "Lewis",
    "Lopez",
    "Martin",
    "Martinez",
    "Mitchell",
    "Moore",
    "Morales",
    "Nguyen",
    "Ortiz",
    "Park",
    "Patel",
    "Perez",
    "Phillips",
    "Ramirez",
    "Reyes",
    "Rivera",
    "Roberts",
    "Robinson",
    "Rodriguez",
    "Sanchez",
    "Scott",
    "Singh",
    "Smith",
    "Taylor",
    "Thomas",
    "Thompson",
    "Torres",
    "Tran",
    "Walker",
    "Washington",
    "White",
    "Williams",
    "Wilson",
    "Wright",
    "Yang",
    "Young",
    "Zhang",
    "Okafor",
    "Mensah",
]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    name: str


SCHOOLS = [("Riverside Elementary", "RES"), ("Hillcrest Middle School", "HMS")]
# (school code, teacher username, teacher name, [(section code, section name, grade)])
TEACHERS = [
    ("RES", "mrivera", ("Marisol", "Rivera"), [("RES-M4A", "Grade 4 Math A", "4")]),
    ("RES", "jokafor", ("James", "Okafor"), [("RES-M5A", "Grade 5 Math A", "5")]),
    (
        "HMS",
        "schen",
        ("Sarah", "Chen"),
        [("HMS-M6A", "Grade 6 Math A", "6"), ("HMS-M6B", "Grade 6 Math B", "6")],
    ),
    (
        "HMS",
        "dwashington",
        ("David", "Washington"),
        [("HMS-M6C", "Grade 6 Math C", "6"), ("HMS-M5X", "Math Lab", "5")],
    ),
]
STUDENTS_PER_SECTION = 25


def term_dates(today: dt.date) -> tuple[dt.date, dt.date]:
    """The school year containing ``today`` (August to June)."""
    start_year = today.year if today.month >= 8 else today.year - 1
    return dt.date(start_year, 8, 15), dt.date(start_year + 1, 6, 20)


def demo_logins() -> list[DemoLogin]:
    logins = [
        DemoLogin("District admin", "admin.maple", "Dana Whitfield"),
        DemoLogin("School leader", "principal.riverside", "Gloria Mendez"),
        DemoLogin("School leader", "principal.hillcrest", "Kwame Boateng"),
    ]
    logins += [DemoLogin("Teacher", username, " ".join(name)) for _, username, name, _ in TEACHERS]
    for user in User.objects.filter(username__in=["student001", "student026", "guardian001"]).order_by(
        "username"
    ):
        role = "Guardian" if user.username.startswith("guardian") else "Student"
        logins.append(DemoLogin(role, user.username, user.display_name))
    return logins


@transaction.atomic
def seed_demo_district(seed: int = 2026, today: dt.date | None = None) -> District:
    """Create the demo district; a second call finds it and changes nothing."""
    existing = District.objects.filter(slug=DISTRICT_SLUG).first()
    if existing is not None:
        return existing
    start, end = term_dates(today or timezone.localdate())
    # One hash for every demo account: hashing 300 passwords one by one would take minutes.
    password_hash = make_password(DEMO_PASSWORD)
    district = District.objects.create(name="Maple Valley Unified School District", slug=DISTRICT_SLUG)
    schools = {code: School.objects.create(district=district, name=name, code=code) for name, code in SCHOOLS}
    _create_leaders(district, schools, password_hash)
    roster = _Roster(rng=random.Random(seed), password_hash=password_hash, start=start)
    for school_code, username, (first, last), sections in TEACHERS:
        school = schools[school_code]
        teacher = services.create_person(
            username=username,
            first_name=first,
            last_name=last,
            role=Role.TEACHER,
            school=school,
            password_hash=password_hash,
            email=f"{username}@maplevalley.example.org",
        )
        for section_code, section_name, grade in sections:
            section = Section.objects.create(
                school=school,
                name=section_name,
                code=section_code,
                subject="Mathematics",
                grade=grade,
                term_start=start,
                term_end=end,
            )
            services.enrol(teacher, section, Enrolment.Kind.TEACHER, start)
            for _ in range(STUDENTS_PER_SECTION):
                roster.add_student(section)
    return district


def _create_leaders(district: District, schools: dict[str, School], password_hash: str) -> None:
    """The district admin and each school's principal."""
    admin = services.create_person(
        username="admin.maple",
        first_name="Dana",
        last_name="Whitfield",
        role=Role.DISTRICT_ADMIN,
        district=district,
        password_hash=password_hash,
        email="dwhitfield@maplevalley.example.org",
    )
    devices.install_app_device(user=admin, key_hex=DEMO_TOTP_KEY)
    for username, (first, last), code in [
        ("principal.riverside", ("Gloria", "Mendez"), "RES"),
        ("principal.hillcrest", ("Kwame", "Boateng"), "HMS"),
    ]:
        services.create_person(
            username=username,
            first_name=first,
            last_name=last,
            role=Role.SCHOOL_LEADER,
            school=schools[code],
            password_hash=password_hash,
        )


@dataclass
class _Roster:
    """Students numbered in the order they are seeded, each with a guardian, drawn from one random stream
    (the order of the draws is what makes two seeds give the same people)."""

    rng: random.Random
    password_hash: str
    start: dt.date
    added: int = 0
    used_names: set[tuple[str, str]] = field(default_factory=set)

    def add_student(self, section: Section) -> User:
        self.added += 1
        first, last = self._new_name()
        student = services.create_person(
            username=f"student{self.added:03d}",
            first_name=first,
            last_name=last,
            role=Role.STUDENT,
            school=section.school,
            password_hash=self.password_hash,
            grade=section.grade,
        )
        services.enrol(student, section, Enrolment.Kind.STUDENT, self.start)
        guardian = services.create_person(
            username=f"guardian{self.added:03d}",
            first_name=self.rng.choice(GIVEN_NAMES),
            last_name=last,
            role=Role.GUARDIAN,
            password_hash=self.password_hash,
        )
        services.link_guardian(guardian, student, self.rng.choice(["mother", "father", "guardian"]))
        return student

    def _new_name(self) -> tuple[str, str]:
        """A (given name, surname) no earlier student has."""
        while True:
            name = (self.rng.choice(GIVEN_NAMES), self.rng.choice(SURNAMES))
            if name not in self.used_names:
                self.used_names.add(name)
                return name
