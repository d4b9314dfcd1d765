"""Demo data: a small company to try Teamline with (``teamline demo``, ``make run``)."""

from __future__ import annotations

from dataclasses import dataclass

from teamline.accounts import store as accounts_store
from teamline.accounts.schemas import UserCreateIn
from teamline.accounts.service import Principal
from teamline.chat.schemas import MessageIn
from teamline.container import Container
from teamline.groups.schemas import GroupIn
from teamline.phonebook.service import seed_phonebook

DEMO_PASSWORD = "teamline"


@dataclass(frozen=True)
class DemoUser:
    login: str
    name: str
    extension: str
    role: str = "user"
    mobile: str | None = None


USERS = [
    DemoUser("admin", "Admin", "100", role="admin"),
    DemoUser("max", "Max-Andreas Mustermann", "101", mobile="+491701234567"),
    DemoUser("erika", "Erika Musterfrau", "102", mobile="+491719876543"),
    DemoUser("jonas", "Jonas Müller", "103"),
    DemoUser("lea", "Lea Schäfer", "104", role="phonebook-manager"),
    DemoUser("paul", "Paul Schneider", "105"),
    DemoUser("sophie", "Sophie Fischer", "106"),
    DemoUser("lukas", "Lukas Weber", "107"),
    DemoUser("mia", "Mia Meyer", "108"),
    DemoUser("felix", "Felix Wagner", "109"),
    DemoUser("emma", "Emma Becker", "110"),
    DemoUser("leon", "Leon Schulz", "111"),
    DemoUser("hannah", "Hannah Hoffmann", "112"),
    DemoUser("noah", "Noah Koch", "113"),
    DemoUser("lena", "Lena Richter", "114"),
    DemoUser("elias", "Elias Klein", "115"),
    DemoUser("anna", "Anna Wolf", "116"),
    DemoUser("ben", "Ben Schröder", "117"),
    DemoUser("clara", "Clara Neumann", "118"),
    DemoUser("david", "David O'Neill", "119"),
]


@dataclass(frozen=True)
class DemoTeam:
    name: str
    number: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class DemoGroup:
    name: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class DemoEntry:
    display_name: str
    organisation: str
    numbers: tuple[tuple[str, str], ...]  # (type, number)
    email: str | None = None


# The rest of the company, seeded by the domains that own them once they exist (teams,
# groups, phonebook): defined here so every issue uses the same demo world.
TEAMS = [
    DemoTeam("Support", "120", ("max", "erika", "jonas", "lea")),
    DemoTeam("Vertrieb", "130", ("paul", "sophie", "lukas", "mia")),
]
GROUPS = [
    DemoGroup("Kaffeerunde", ("max", "erika", "jonas", "hannah", "ben")),
    DemoGroup("Projekt Phoenix", ("max", "paul", "sophie", "clara", "david")),
]
PHONEBOOK = [
    DemoEntry("Müller GmbH", "Müller GmbH", (("work", "+49301234567"),), "info@mueller.example"),
    DemoEntry(
        "Dr. Sabine Köhler",
        "Praxis Köhler",
        (("work", "+49891234567"), ("mobile", "+4915123456789")),
    ),
    DemoEntry(
        "Hotel Sonnenhof", "Hotel Sonnenhof", (("work", "+4980511234"), ("fax", "+4980511235"))
    ),
    DemoEntry("Stadtwerke Musterstadt", "Stadtwerke", (("work", "+4940555000"),)),
]


async def seed(app: Container) -> bool:
    """Create the demo company unless the database already has users; True if created."""
    async with app.db.read() as session:
        if await accounts_store.count_users(session):
            return False
    for user in USERS:
        await app.accounts.create_user(
            UserCreateIn(
                login=user.login,
                display_name=user.name,
                password=DEMO_PASSWORD,
                extension=user.extension,
                email=f"{user.login}@example.com",
                mobile_number=user.mobile,
                role=user.role,
            )
        )
    await seed_phonebook(app)
    await seed_chats(app)
    return True


# A few conversations so that the messenger is not empty: (group or login pair, author, text).
CHATS = [
    ("Kaffeerunde", "erika", "Kaffee um drei in der Küche?"),
    ("Kaffeerunde", "jonas", "Bin dabei ☕"),
    ("Kaffeerunde", "hannah", "Ich bringe Kuchen mit."),
    ("Projekt Phoenix", "paul", "Das Angebot für Müller GmbH ist raus: +49 30 1234567"),
    ("Projekt Phoenix", "clara", "Danke! Termin mit dem Kunden am Donnerstag."),
    (("max", "erika"), "erika", "Hallo Max, hast du kurz Zeit für einen Anruf?"),
    (("max", "erika"), "max", "Klar, in 10 Minuten."),
    (("max", "paul"), "paul", "Die Unterlagen liegen im Wiki: https://wiki.example.com/phoenix"),
]


async def seed_chats(app: Container) -> None:
    """The demo groups and a few messages in them and between colleagues."""
    async with app.db.read() as session:
        ids = {u.login: u.id for u in await accounts_store.users(session)}
        signed = {login: Principal(user_id=ids[login], device_id="", role="user") for login in ids}
    conversations: dict[object, str] = {}
    for group in GROUPS:
        creator, *others = group.members
        out = await app.groups.create(
            signed[creator], GroupIn(name=group.name, member_ids=[ids[m] for m in others])
        )
        conversations[group.name] = out.conversation_id
    for where, author, text in CHATS:
        if where not in conversations:
            assert isinstance(where, tuple)
            first, second = where
            direct, _ = await app.chat.open_direct(signed[first], ids[second])
            conversations[where] = direct.id
        await app.chat.send(signed[author], conversations[where], MessageIn(text=text))
