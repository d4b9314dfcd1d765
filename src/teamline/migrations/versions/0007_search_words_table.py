"""search: PostgreSQL finds words through a B-tree of (scope, word, document)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

The ``tsv`` column and its GIN index answered "documents visible to these scope tokens with
words starting with these fragments" by intersecting whole posting lists (every document
with a word starting "an", every message of the caller's fifty conversations) and then
fetching every hit from the heap to find the newest: 50–250 ms at a million messages.
``search_words`` holds one row per (scope token, word, document); a fragment is a range of
words under each of the caller's scope tokens, read from the primary key alone. SQLite keeps
its FTS5 tables.
"""

from __future__ import annotations

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


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute(
        'CREATE TABLE search_words (scope text COLLATE "C" NOT NULL, '
        'word text COLLATE "C" NOT NULL, rowid bigint NOT NULL, '
        "CONSTRAINT pk_search_words PRIMARY KEY (scope, word, rowid))"
    )
    op.execute(
        "INSERT INTO search_words SELECT DISTINCT s, left(w, "
        f"{WORD_MAX}), rowid FROM search_documents, "
        "unnest(string_to_array(scope, ' ')) AS s, unnest(string_to_array(words, ' ')) AS w "
        "WHERE w <> ''"
    )
    op.execute("DROP INDEX ix_search_documents_tsv")
    op.execute("ALTER TABLE search_documents DROP COLUMN tsv")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("ALTER TABLE search_documents ADD COLUMN tsv tsvector")
    op.execute(f"UPDATE search_documents SET tsv = {WORD_STARTS}")
    op.execute(
        "CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv) "
        "WITH (fastupdate = off)"
    )
    op.execute("DROP TABLE search_words")
