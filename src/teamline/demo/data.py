"""Demo data: a small company to try Teamline with (``teamline demo``, ``make run``)."""

from __future__ import annotations

from dataclasses import dataclass

from teamline.accounts import store as accounts_store
from teamline.accounts.schemas import UserCreateIn
from teamline.container import Container

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

# Teams, groups and phonebook entries are added here by the issues that build them:
# Support (120: max, erika, jonas), Sales (130: paul, sophie, lukas); groups "Kaffeerunde" and
# "Projekt Phoenix"; company phonebook entries such as "Müller GmbH" (+49 30 1234567).


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
    return True
