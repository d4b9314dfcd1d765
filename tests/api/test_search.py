"""One search box (SRCH-1…5): word-part matching, numbers, visibility, recent searches."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from teamline.client import Client
from teamline.search.index import Document, put, put_many
from teamline.search.models import SearchDocument
from teamline.search.reindex import reindex
from teamline.search.service import SearchService
from tests.harness import Server, expect_error, uid


async def search(client: Client, q: str, **params: object) -> list[dict[str, object]]:
    response = await client.request("GET", "/search", params={"q": q, **params})
    results: list[dict[str, object]] = response.json()["results"]
    return results


def titles(results: list[dict[str, object]], source: str = "contact") -> list[object]:
    return [r["title"] for r in results if r["source"] == source]


@pytest.fixture
async def company(server: Server) -> Client:
    await server.create_user(
        "max",
        display_name="Max-Andreas Mustermann",
        extension="101",
        mobile_number="+491701234567",
        email="max@example.com",
    )
    await server.create_user("erika", display_name="Erika Musterfrau", extension="102")
    await server.create_user("jonas", display_name="Jonas Müller", extension="103")
    await server.create_user("david", display_name="David O'Neill", extension="119")
    await server.create_user("andrea", display_name="Andrea Berg", extension="120")
    return await server.signed_in("me", display_name="Paul Schneider")


@pytest.mark.feature("SRCH-2")
@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("And Muster", ["Max-Andreas Mustermann"]),
        ("muster", ["Erika Musterfrau", "Max-Andreas Mustermann"]),
        ("MUSTERM", ["Max-Andreas Mustermann"]),
        ("mull", ["Jonas Müller"]),
        ("müll", ["Jonas Müller"]),
        ("Mueller", ["Jonas Müller"]),
        ("neill", ["David O'Neill"]),
        ("o neill", ["David O'Neill"]),
        ("max@example", ["Max-Andreas Mustermann"]),
        ("dreas", []),  # the start of a word, not any substring
        ("Muster Erika", ["Erika Musterfrau"]),
    ],
)
async def test_every_fragment_matches_a_word_start(
    company: Client, query: str, found: list[str]
) -> None:
    assert sorted(titles(await search(company, query))) == sorted(found)


@pytest.mark.feature("SRCH-2")
async def test_ranking_puts_title_starts_first(company: Client) -> None:
    results = titles(await search(company, "and"))
    assert results[0] == "Andrea Berg"
    assert "Max-Andreas Mustermann" in results


@pytest.mark.feature("SRCH-3", "SRCH-4")
@pytest.mark.parametrize(
    "query", ["0170 123", "+49170123", "170123", "0049 170 1234567", "(0170) 123-45"]
)
async def test_number_queries_ignore_formatting(company: Client, query: str) -> None:
    results = await search(company, query)
    assert titles(results) == ["Max-Andreas Mustermann"]
    assert results[0]["action"] == "call"
    assert results[0]["number"] == "101"


@pytest.mark.feature("SRCH-3")
async def test_extensions_are_found_by_number(company: Client) -> None:
    assert titles(await search(company, "103")) == ["Jonas Müller"]


@pytest.mark.feature("SRCH-1")
async def test_the_index_follows_renames_and_removals(server: Server, company: Client) -> None:
    admin = await server.signed_in("boss", role="admin")
    jonas = next(u for u in await admin.admin_users() if u["login"] == "jonas")
    await admin.admin_update_user(jonas["id"], display_name="Jonas Schmidt")
    assert titles(await search(company, "mull")) == []
    assert titles(await search(company, "schmi")) == ["Jonas Schmidt"]
    await admin.admin_update_user(jonas["id"], disabled=True)
    assert titles(await search(company, "schmi")) == []
    await admin.admin_update_user(jonas["id"], disabled=False)
    assert titles(await search(company, "schmi")) == ["Jonas Schmidt"]
    await admin.admin_delete_user(jonas["id"])
    assert titles(await search(company, "schmi")) == []


@pytest.mark.feature("SRCH-1")
async def test_nobody_finds_what_is_not_theirs(server: Server, company: Client) -> None:
    erika = await server.signed_in("erika2", display_name="Erika Zwei")
    assert company.account is not None and erika.account is not None
    async with server.container.db.write() as session:
        await put(
            session,
            Document(
                source="private-phonebook",
                ref_id="p1",
                scope=[f"u{erika.account['id']}"],
                title="Geheim Kontakt",
                numbers=["+4930999888"],
            ),
        )
        await put(
            session,
            Document(
                source="company-phonebook",
                ref_id="c1",
                scope=["all"],
                title="Geheim GmbH",
                numbers=["+4930999777"],
            ),
        )
    mine = await search(erika, "geheim")
    assert {(r["source"], r["title"]) for r in mine} == {
        ("private-phonebook", "Geheim Kontakt"),
        ("company-phonebook", "Geheim GmbH"),
    }
    others = await search(company, "geheim")
    assert [(r["source"], r["title"]) for r in others] == [("company-phonebook", "Geheim GmbH")]
    assert [r["title"] for r in await search(company, "030 999")] == ["Geheim GmbH"]
    # The scope is not searchable text: a user id finds nothing.
    assert await search(company, f"u{erika.account['id']}") == []
    assert await search(company, "all") == []


@pytest.mark.feature("SRCH-1")
async def test_results_are_grouped_by_source_with_contacts_first(
    server: Server, company: Client
) -> None:
    async with server.container.db.write() as session:
        await put(
            session,
            Document(source="company-phonebook", ref_id="c2", scope=["all"], title="Musterbau AG"),
        )
    results = await search(company, "muster")
    sources = [r["source"] for r in results]
    assert sources == sorted(sources, key=["contact", "company-phonebook"].index)
    assert sources[-1] == "company-phonebook"


@pytest.mark.feature("SRCH-1")
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "x" * 201}, "q"),
        ({"q": "a", "limit": 0}, "limit"),
        ({"q": "a", "limit": "many"}, "limit"),
    ],
)
async def test_bad_queries_get_422(company: Client, params: dict[str, object], field: str) -> None:
    error = await expect_error(
        company.request("GET", "/search", params=params), 422, "invalid-input"
    )
    assert field in error.details


@pytest.mark.feature("SRCH-2")
@pytest.mark.parametrize("query", ["", "   ", "-", '"', "*", "OR", "NEAR(", "a'b\"c", "%", "_"])
async def test_odd_queries_do_not_break(company: Client, query: str) -> None:
    results = await search(company, query)
    assert isinstance(results, list)


@pytest.mark.feature("SRCH-5")
async def test_recent_searches(server: Server, company: Client) -> None:
    for query in [f"q{i}" for i in range(12)] + ["q3"]:
        await company.request("POST", "/search/recent", json={"q": query})
    recent = (await company.request("GET", "/search/recent")).json()["recent"]
    assert recent[0] == "q3"
    assert len(recent) == 10 and "q0" not in recent
    other = await server.signed_in("other")
    assert (await other.request("GET", "/search/recent")).json()["recent"] == []
    await company.request("DELETE", "/search/recent")
    assert (await company.request("GET", "/search/recent")).json()["recent"] == []
    await expect_error(
        company.request("POST", "/search/recent", json={"q": ""}), 422, "invalid-input"
    )


@pytest.mark.feature("SRCH-1")
async def test_batch_indexing_matches_single_puts(server: Server, company: Client) -> None:
    docs = [
        Document(
            source="company-phonebook",
            ref_id=f"b{i}",
            scope=["all"],
            title=f"Batch Firma {i}",
            numbers=[f"+49301000{i:03d}"],
        )
        for i in range(30)
    ]
    async with server.container.db.write() as session:
        await put_many(session, docs[:10])
    renamed = [
        Document(
            source=d.source,
            ref_id=d.ref_id,
            scope=d.scope,
            title=f"Stapel {i}",
            numbers=list(d.numbers),
        )
        for i, d in enumerate(docs[:5])
    ]
    async with server.container.db.write() as session:
        await put_many(session, renamed + docs[10:])
    found = await search(company, "batch firma", limit=50)
    assert len(found) == 25
    assert len(await search(company, "stapel", limit=50)) == 5
    assert [r["title"] for r in await search(company, "030 1000 029")] == ["Batch Firma 29"]


@pytest.mark.feature("SRCH-1")
async def test_a_deleted_users_own_documents_leave_the_index(
    server: Server, company: Client
) -> None:
    admin = await server.signed_in("boss", role="admin")
    gone = await server.create_user("gone")
    async with server.container.db.write() as session:
        await put(
            session,
            Document(
                source="private-phonebook",
                ref_id="gone1",
                scope=[f"u{gone['id']}"],
                title="Vergessen Eintrag",
            ),
        )
        await put(
            session,
            Document(
                source="company-phonebook", ref_id="stay1", scope=["all"], title="Vergessen GmbH"
            ),
        )
    await admin.admin_delete_user(gone["id"])
    async with server.container.db.read() as session:
        left = await session.scalars(
            select(SearchDocument.ref_id).where(SearchDocument.title.like("Vergessen%"))
        )
        assert sorted(left) == ["stay1"]


@pytest.mark.feature("SRCH-1", "ADM-3")
async def test_reindex_rebuilds_the_same_results(server: Server, company: Client) -> None:
    before = await search(company, "muster")
    assert await reindex(server.container.db) >= 6
    assert await search(company, "muster") == before
    assert titles(await search(company, "0170 123")) == ["Max-Andreas Mustermann"]


@pytest.mark.feature("SRCH-1")
async def test_chat_hits_only_from_my_conversations_and_open_at_the_message(
    server: Server, company: Client
) -> None:
    assert company.account is not None
    async with server.container.db.write() as session:
        await put_many(
            session,
            [
                Document(
                    source="chat",
                    ref_id="m1",
                    scope=["cmine"],
                    title="Erika Musterfrau",
                    subtitle="Angebot für Müller",
                    text=["Das Angebot für Müller ist raus"],
                    extra={"conversation_id": "mine", "message_id": "m1"},
                ),
                Document(
                    source="chat",
                    ref_id="m2",
                    scope=["cother"],
                    title="Jonas",
                    subtitle="Geheimes Angebot",
                    text=["Geheimes Angebot"],
                    extra={"conversation_id": "other", "message_id": "m2"},
                ),
            ],
        )

    async def member_of(_session: object, user_id: str) -> list[str]:
        return ["mine"] if user_id == company.account["id"] else []  # type: ignore[index]

    service = SearchService(server.container.db, server.container.settings, member_of)
    hits = [
        r for r in await service.search(company.account["id"], "angebot", 10) if r.source == "chat"
    ]
    assert [(h.conversation_id, h.message_id, h.action) for h in hits] == [("mine", "m1", "open")]
    assert [r.title for r in await service.search(company.account["id"], "mull", 10)] == [
        "Jonas Müller",
        "Erika Musterfrau",
    ]
    # The contacts' index does not carry chat words.
    assert titles(await search(company, "angebot"), "chat") == []


@pytest.mark.feature("SRCH-1", "CHAT-2")
async def test_sent_messages_are_found_and_follow_edits_and_deletes(server: Server) -> None:
    """A sent message goes into the index without a look-up (``put_new``); the edit that
    replaces it and the delete that drops it must find exactly what it wrote."""
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    conversation = (await max_.open_conversation(uid(erika)))["id"]
    sent = await max_.send_message(conversation, "Lieferung kommt Donnerstag, Tel. 030 1234567")
    other = await max_.send_message(conversation, "Lieferschein liegt bei")

    async def found(q: str) -> list[object]:
        return [r["message_id"] for r in await search(erika, q) if r["source"] == "chat"]

    assert sorted(await found("liefer")) == sorted([sent["id"], other["id"]])
    await max_.edit_message(conversation, sent["id"], "Abholung am Freitag")
    assert await found("liefer") == [other["id"]]
    assert await found("abhol") == [sent["id"]]
    await max_.delete_message(conversation, sent["id"])
    assert await found("abhol") == []
    assert await reindex(server.container.db) > 0
    assert await found("liefer") == [other["id"]]


@pytest.mark.feature("SRCH-2")
async def test_long_fragments_match_word_starts_only(server: Server, company: Client) -> None:
    async with server.container.db.write() as session:
        await put(
            session,
            Document(
                source="company-phonebook",
                ref_id="long1",
                scope=["all"],
                title="Donaudampfschifffahrtsgesellschaft",
            ),
        )
    for query in ["donaudampfschiff", "Donaudampfschifffahrtsgesellschaft", "donau"]:
        assert titles(await search(company, query), "company-phonebook") == [
            "Donaudampfschifffahrtsgesellschaft"
        ]
    for query in ["donaudampfschiffx", "dampfschifffahrt", "donaudampfschifffahrtsgesellschaften"]:
        assert titles(await search(company, query), "company-phonebook") == []


@pytest.mark.feature("SRCH-1")
async def test_merging_the_index_keeps_every_result(server: Server, company: Client) -> None:
    for i in range(12):  # one transaction each: many small index segments
        async with server.container.db.write() as session:
            await put(
                session,
                Document(
                    source="company-phonebook",
                    ref_id=f"seg{i}",
                    scope=["all"],
                    title=f"Segment Firma {i}",
                    numbers=[f"+49302000{i:03d}"],
                ),
            )
    before = await search(company, "segment firma", limit=50)
    assert len(before) == 12
    await server.container.search.tidy()
    await server.container.housekeeping()
    assert await search(company, "segment firma", limit=50) == before
    assert titles(await search(company, "030 2000 011"), "company-phonebook") == [
        "Segment Firma 11"
    ]


@pytest.mark.feature("SRCH-1")
async def test_a_scope_a_source_does_not_use_is_refused(server: Server) -> None:
    async with server.container.db.write() as session:
        with pytest.raises(ValueError, match="scope"):
            await put(
                session,
                Document(source="company-phonebook", ref_id="x1", scope=["uabc"], title="X"),
            )


@pytest.mark.feature("SRCH-3")
async def test_other_users_numbers_do_not_crowd_out_mine(server: Server, company: Client) -> None:
    """A number query looks only at what the caller may see: 600 newer journal entries of
    someone else with the same digits leave the caller's own older entry in the results."""
    other = await server.create_user("busy", display_name="Busy Caller")
    assert company.account is not None
    mine = Document(
        source="journal",
        ref_id="mine",
        scope=[f"u{company.account['id']}"],
        title="Mein Anruf",
        numbers=["+49305550100"],
    )
    theirs = [
        Document(
            source="journal",
            ref_id=f"theirs{i}",
            scope=[f"u{other['id']}"],
            title=f"Fremder Anruf {i}",
            numbers=[f"+493055501{i:03d}"],
        )
        for i in range(600)
    ]
    async with server.container.db.write() as session:
        await put(session, mine)
        await put_many(session, theirs)
    found = await search(company, "030 5550", limit=50)
    assert [(r["source"], r["title"]) for r in found] == [("journal", "Mein Anruf")]
