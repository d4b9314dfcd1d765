"""search: word starts indexed for longer fragments (SQLite), as exact lexemes (PostgreSQL)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

The ``tsv`` column held whole words (weight A) and scope tokens (weight B), queried with
prefix matching and weights: GIN expanded every prefix over the lexicon and rechecked each
row. It now holds every word's starts (1 to 12 characters) and the scope tokens marked with
"_" (see ``teamline.search.index.PG_TSV``), and its GIN index has no pending list.
On SQLite the words tables get prefix indexes of 1 to 6 characters (they had 1 to 3).
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

WORD_STARTS = (
    "array_to_tsvector(ARRAY("
    "SELECT left(w, n) FROM unnest(string_to_array(words, ' ')) AS w, "
    "generate_series(1, least(length(w), 12)) AS n "
    "UNION SELECT '_' || s FROM unnest(string_to_array(scope, ' ')) AS s))"
)
WEIGHTED = (
    "setweight(to_tsvector('simple', words), 'A') || setweight(to_tsvector('simple', scope), 'B')"
)


INDEX = "CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv)"


def _sqlite_words_tables(prefix: str) -> None:
    """Recreate the two FTS5 words tables with prefix indexes of these lengths."""
    for table, where in (
        ("search_fts", "source <> 'chat'"),
        ("search_chat_fts", "source = 'chat'"),
    ):
        op.execute(f"DROP TABLE {table}")
        op.execute(
            f"CREATE VIRTUAL TABLE {table} USING fts5(words, scope, "
            "content='search_documents', content_rowid='rowid', "
            f"prefix='{prefix}', tokenize='unicode61 remove_diacritics 2')"
        )
        op.execute(
            f"INSERT INTO {table}(rowid, words, scope) "
            f"SELECT rowid, words, scope FROM search_documents WHERE {where}"
        )
        op.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Prefix indexes up to 6 characters: a longer-than-3 fragment ("schm", "muster") no
        # longer merges the lists of every word it starts before the query can begin.
        _sqlite_words_tables("1 2 3 4 5 6")
    else:
        # Without the "fast update" pending list: every query scanned that unsorted list in
        # full (up to 4 MB, hundreds of milliseconds) until a vacuum merged it.
        op.execute("DROP INDEX ix_search_documents_tsv")
        op.execute(f"UPDATE search_documents SET tsv = {WORD_STARTS}")
        op.execute(f"{INDEX} WITH (fastupdate = off)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_words_tables("1 2 3")
    else:
        op.execute("DROP INDEX ix_search_documents_tsv")
        op.execute(f"UPDATE search_documents SET tsv = {WEIGHTED}")
        op.execute(INDEX)
