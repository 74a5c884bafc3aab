"""The search document and index migration 0012 creates, frozen as they were when
it reached the main line (articles/search.py and the `normalize` of
articles/arabic.py at commit f53df4d). Migrations carry their own code: the
app's modules may change, an applied migration must not.

On PostgreSQL this is a GIN expression index; a later version of the app keeps a
generated tsvector column instead, and `articles.apps` brings every migrated
database to it after each migrate. Django's migration loader skips modules whose
name starts with `_`.
"""

import re

# --- Folding: articles/arabic.py `normalize` -----------------------------------
TATWEEL = "\u0640"
# camel-tools 1.6's AR_DIAC_CHARSET (harakat, tanween, shadda, sukun, dagger alef), written out.
AR_DIAC_CHARSET = frozenset("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670")
_DROPPED = AR_DIAC_CHARSET | {TATWEEL}
_FOLDED = str.maketrans({"\u0625": "ا", "\u0623": "ا", "\u0671": "ا", "\u0622": "ا", "ى": "ي", "ة": "ه"})


def normalize(text: str) -> str:
    """Remove diacritics and tatweel; unify alef forms, alef maqsura with ya, ta marbuta with ha."""
    return "".join(char for char in text if char not in _DROPPED).translate(_FOLDED)


# --- The document: articles/search.py ---------------------------------------------
# Article prefixes and conjunctions/prepositions that attach to the next word,
# longest first. Only stripped when at least three letters remain.
PROCLITICS = (
    "وبال",
    "وكال",
    "فبال",
    "وال",
    "بال",
    "كال",
    "فال",
    "لل",
    "ال",
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
)
MIN_STEM = 3
# A word: letters and digits, with the harakat and tatweel inside Arabic words.
WORD = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]+")
ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")


def word_forms(word: str) -> list[str]:
    """A folded word and, for Arabic words, the same word without each proclitic it may carry."""
    forms = [word]
    if ARABIC_LETTER.match(word):
        for clitic in PROCLITICS:
            if word.startswith(clitic) and len(word) - len(clitic) >= MIN_STEM:
                stem = word[len(clitic) :]
                if stem not in forms:
                    forms.append(stem)
    return forms


def _fold(text: str) -> list[str]:
    return [normalize(match.group()).lower() for match in WORD.finditer(text)]


def search_document(*, arabic: list[str], english: list[str]) -> str:
    """The indexed text: folded Arabic words with their stripped forms, then the English text."""
    tokens = []
    for word in _fold(" ".join(arabic)):
        tokens.extend(word_forms(word))
    return " ".join([*tokens, *(" ".join(english).lower().split())])


# --- The index ----------------------------------------------------------------------
_SQLITE_INDEX = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_search USING fts5(search_text, content='articles_article', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS articles_search_insert AFTER INSERT ON articles_article BEGIN "
    "INSERT INTO articles_search (rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS articles_search_delete AFTER DELETE ON articles_article BEGIN "
    "INSERT INTO articles_search (articles_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "END",
    "CREATE TRIGGER IF NOT EXISTS articles_search_update AFTER UPDATE OF search_text ON articles_article BEGIN "
    "INSERT INTO articles_search (articles_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO articles_search (rowid, search_text) VALUES (new.id, new.search_text); END",
]
_POSTGRES_INDEX = [
    "CREATE INDEX IF NOT EXISTS articles_article_search ON articles_article "
    "USING GIN (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))",
]


def search_index_ensure(*, connection) -> None:
    """Create the search index where missing (re-runnable; SQLite's is rebuilt from `search_text`)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in _SQLITE_INDEX:
                cursor.execute(statement)
            cursor.execute("INSERT INTO articles_search (articles_search) VALUES ('rebuild')")
        elif connection.vendor == "postgresql":
            for statement in _POSTGRES_INDEX:
                cursor.execute(statement)


def search_index_drop(*, connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in ("insert", "delete", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS articles_search_{name}")
            cursor.execute("DROP TABLE IF EXISTS articles_search")
        elif connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS articles_article_search")
