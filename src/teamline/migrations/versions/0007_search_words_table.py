"""search: words (PostgreSQL) in a B-tree of (scope, word, document); numbers by their endings

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

The ``tsv`` column and its GIN index answered "documents visible to these scope tokens with
words starting with these fragments" by intersecting whole posting lists (every document
with a word starting "an", every message of the caller's fifty conversations) and then
fetching every hit from the heap to find the newest: 50–250 ms at a million messages.
``search_words`` holds one row per (scope token, word, document); a fragment is a range of
words under each of the caller's scope tokens, read from the primary key alone. Numbers go
there too, as "#" and each ending of their digit strings (a number query is a range of
those), replacing the trigram index on ``digits``. SQLite keeps its FTS5 words tables, and
its trigram table ``search_digits`` (which had no scope: the newest 500 matches of all users
could all be invisible to the caller) gives way to ``search_numbers``, an FTS5 table of
words (the digit endings) and scope like the others.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

WORD_MAX = 64  # teamline.search.index.WORD_MAX
WORD_STARTS = (  # migration 0006's tsv, for the way back
    "array_to_tsvector(ARRAY("
    "SELECT left(w, n) FROM unnest(string_to_array(words, ' ')) AS w, "
    "generate_series(1, least(length(w), 12)) AS n "
    "UNION SELECT '_' || s FROM unnest(string_to_array(scope, ' ')) AS s))"
)


# The rows teamline.search.index.pg_terms gives: words, and "#" + every ending of 3 or more
# digits of each number's digit strings.
TERMS = (
    "SELECT DISTINCT s, t, rowid FROM search_documents, "
    "unnest(string_to_array(scope, ' ')) AS s, "
    f"unnest(ARRAY(SELECT left(w, {WORD_MAX}) FROM unnest(string_to_array(words, ' ')) AS w "
    "WHERE w <> '' UNION SELECT '#' || substr(n, i) "
    "FROM unnest(string_to_array(digits, ' ')) AS n, generate_series(1, length(n) - 2) AS i "
    "WHERE n <> '')) AS t"
)


def _endings(digits: str) -> str:
    """teamline.search.index.number_terms as of this revision."""
    found = dict.fromkeys(n[i:] for n in digits.split() for i in range(len(n) - 2))
    return " ".join(found)


def _sqlite_numbers() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE search_numbers USING fts5(words, scope, "
        "prefix='3 4 5 6', tokenize='unicode61')"
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT rowid, scope, digits FROM search_documents WHERE digits <> ''")
    ).all()
    for start in range(0, len(rows), 5000):
        bind.execute(
            sa.text("INSERT INTO search_numbers(rowid, words, scope) VALUES (:r, :w, :s)"),
            [{"r": r, "w": _endings(d), "s": s} for r, s, d in rows[start : start + 5000]],
        )
    op.execute("INSERT INTO search_numbers(search_numbers) VALUES ('optimize')")
    op.execute("DROP TABLE search_digits")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_numbers()
        return
    op.execute(
        'CREATE TABLE search_words (scope text COLLATE "C" NOT NULL, '
        'word text COLLATE "C" NOT NULL, rowid bigint NOT NULL, '
        "CONSTRAINT pk_search_words PRIMARY KEY (scope, word, rowid))"
    )
    op.execute(f"INSERT INTO search_words {TERMS}")
    op.execute("DROP INDEX ix_search_documents_tsv")
    op.execute("ALTER TABLE search_documents DROP COLUMN tsv")
    op.execute("DROP INDEX ix_search_documents_digits")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_numbers")
        op.execute(
            "CREATE VIRTUAL TABLE search_digits USING fts5(digits, "
            "content='search_documents', content_rowid='rowid', tokenize='trigram')"
        )
        op.execute("INSERT INTO search_digits(search_digits) VALUES ('rebuild')")
        return
    op.execute("ALTER TABLE search_documents ADD COLUMN tsv tsvector")
    op.execute(f"UPDATE search_documents SET tsv = {WORD_STARTS}")
    op.execute(
        "CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv) "
        "WITH (fastupdate = off)"
    )
    op.execute("DROP TABLE search_words")
    op.execute(
        "CREATE INDEX ix_search_documents_digits ON search_documents "
        "USING gin (digits gin_trgm_ops)"
    )
