"""Full-text search over articles: one document per article, kept in the database's own index.

The document (`Article.search_text`) holds the article's title, lead caption,
paragraphs, related headlines and captions folded the way `arabic.normalize`
folds them (diacritics, hamza forms, ta marbuta, alef maqsura, tatweel), each
Arabic word also without its proclitics (`والرئيس` is indexed as `والرئيس`,
`الرئيس` and `رئيس`), followed by the English translation and the English
names and aliases of the entities the article shows its readers, Latin
accents folded (`Erdoğan` as `erdogan`). A query's words are folded and
stripped the same way, so `الرئيس`, `والرئيس` and `للرئيس` find one another,
and `Erdogan` finds the article that mentions `أردوغان`.

The index is SQLite FTS5 (a virtual table `articles_search` over
`search_text`, kept in sync by triggers that the migration creates) or, on
PostgreSQL, a GIN index over a generated column holding `to_tsvector('english', search_text)`, which
stems English words as FTS5's porter tokenizer does and leaves Arabic ones as they are. Results are
ranked by relevance (bm25 / ts_rank), then newest first.

`article_search_refresh(article=...)` rebuilds one article's document: every
path that changes an article's text, translation or shown entities calls it
(`search_tasks.search_refresh_queue` when many articles are touched: an
entity renamed, the gazetteer reseeded).

Queries come from anyone: `query_clean` bounds them (characters, words) and
drops control characters, and the index query is built from words only, so no
quote, operator or NUL byte reaches the database's query parser.
"""

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from html import escape as html_escape  # as Django's escape (& < > " '), without its lazy-string wrapper

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from arabic.clitics import PREFIXES, stems
from arabic.text import ARABIC_LETTER, DIACRITICS, LATIN_FOLDS, TATWEEL, WORD, fold_latin, normalize

from .models import Article, Entity, Mention, SearchEntry, Translation
from .models.entities import names_in

# A search box is for a few words: longer input is cut, never refused.
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 8
MAX_WORD_CHARS = 40

# A stem shorter than this is not searched without its proclitics (`بعد` is not ب + عد).
MIN_STEM = 3


def query_clean(raw: str) -> str:
    """The query as it is shown back and searched: control and format characters
    dropped, whitespace collapsed, at most MAX_QUERY_CHARS characters."""
    kept = "".join(" " if unicodedata.category(char)[0] in "CZ" else char for char in raw[: MAX_QUERY_CHARS * 4])
    kept = unicodedata.normalize("NFC", kept)  # `g` + combining breve is the `ğ` the folding knows
    return " ".join(kept.split())[:MAX_QUERY_CHARS].strip()


def word_forms(word: str) -> list[str]:
    """A folded word and, for Arabic words, the stem each reading of its proclitics (article included) leaves."""
    if ARABIC_LETTER.match(word):
        return stems(word, article=True, min_stem=MIN_STEM)
    return [word]


def _fold(text: str) -> list[str]:
    return [fold_latin(normalize(match.group())).lower() for match in WORD.finditer(text)]


@dataclass(frozen=True)
class SearchQueryTerms:
    """What a search looks for: each word of the query with its alternative forms."""

    text: str
    words: tuple[tuple[str, ...], ...]

    @cached_property
    def forms(self) -> frozenset[str]:
        return frozenset(form for forms in self.words for form in forms)

    @cached_property
    def latin(self) -> bool:
        """Whether a word of the query is written in Latin letters (English)."""
        return any(char.isascii() and char.isalpha() for char in "".join(self.forms))

    def __bool__(self) -> bool:
        return bool(self.words)


def search_terms(raw: str) -> SearchQueryTerms:
    """Parse a query typed by anyone into at most MAX_QUERY_WORDS folded words."""
    text = query_clean(raw)
    words: list[tuple[str, ...]] = []
    for word in _fold(text):
        word = word[:MAX_WORD_CHARS]
        forms = tuple(word_forms(word))
        if forms not in words:
            words.append(forms)
        if len(words) == MAX_QUERY_WORDS:
            break
    return SearchQueryTerms(text=text, words=tuple(words))


def folded_words(text: str) -> set[str]:
    """The words of `text` as the index holds them (folded, lower case): an entity's names."""
    return set(_fold(text))


def search_document(*, arabic: list[str], english: list[str], names: list[str] = ()) -> str:
    """The indexed text: folded Arabic words with their stripped forms, then the English text,
    then the English names of the entities mentioned (Latin accents folded in both)."""
    tokens = []
    for word in _fold(" ".join(arabic)):
        tokens.extend(word_forms(word))
    return " ".join([*tokens, *fold_latin(" ".join([*english, *names])).lower().split()])


def article_entity_names(article: Article) -> list[str]:
    """The English names and aliases of the entities the article shows every reader (public,
    not rejected mentions), each once, in a stable order."""
    shown = Mention.objects.shown().public().filter(article=article, entity__isnull=False).values("entity_id")
    names: dict[str, None] = {}
    for name_en, aliases_en in Entity.objects.filter(pk__in=shown).order_by("pk").values_list("name_en", "aliases_en"):
        for name in [name_en, *names_in(aliases_en)]:
            if name:
                names.setdefault(name, None)
    return list(names)


def article_search_document(article: Article) -> str:
    """The search document of one article, from its stored text and current translations."""
    arabic = [article.title, article.lead_caption]
    arabic += list(article.paragraphs.order_by("position").values_list("text", flat=True))
    for title, caption in article.related_stories.order_by("position").values_list("title", "caption"):
        arabic += [title, caption]
    english = list(
        Translation.objects.filter(article=article, target_lang=settings.TRANSLATION_TARGET)
        .exclude(text="")
        .values_list("text", flat=True)
    )
    return search_document(arabic=arabic, english=english, names=article_entity_names(article))


def title_key(title: str) -> str:
    """A headline as related stories are matched by it: folded words, one space apart."""
    return " ".join(_fold(title))[:500]


def article_search_refresh(*, article: Article) -> None:
    """Re-index the article: its text, captions, related stories, translation and entities' English
    names as they are now, and the key its headline is found by."""
    article.search_text = article_search_document(article)
    article.title_key = title_key(article.title)
    Article.objects.filter(pk=article.pk).update(search_text=article.search_text, title_key=article.title_key)


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
# PostgreSQL: the document's tsvector is kept in a generated column, so that
# ranking reads it instead of parsing every match's text again (at 2,000
# articles a common word took 131 ms that way). The column is unknown to the
# ORM, which never writes it. A migration that alters `search_text` must call
# `search_index_drop` first (PostgreSQL refuses to alter a column a generated
# one reads); every migrate ends by ensuring the index again (`apps.py`).
# The `english` configuration stems English words as SQLite's porter tokenizer does (`talk` finds
# `talks`) and leaves Arabic words as they are; the `simple` one of earlier versions did not stem.
_POSTGRES_CONFIGURATION = "english"
_POSTGRES_INDEX = [
    "DROP INDEX IF EXISTS articles_article_search",  # the expression index of earlier versions
    "ALTER TABLE articles_article ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS "
    f"(to_tsvector('{_POSTGRES_CONFIGURATION}'::regconfig, COALESCE(search_text, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS articles_article_search_vector ON articles_article USING GIN (search_vector)",
]
# The expression of the column as it is, to replace one an earlier version made with another configuration.
_POSTGRES_VECTOR_EXPRESSION = (
    "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a "
    "ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
    "WHERE a.attrelid = 'articles_article'::regclass AND a.attname = 'search_vector'"
)


def search_index_ensure(*, connection) -> None:
    """Create the search index where missing (re-runnable; SQLite's is rebuilt from `search_text`)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in _SQLITE_INDEX:
                cursor.execute(statement)
            cursor.execute("INSERT INTO articles_search (articles_search) VALUES ('rebuild')")
        elif connection.vendor == "postgresql":
            cursor.execute(_POSTGRES_VECTOR_EXPRESSION)
            row = cursor.fetchone()
            if row and f"'{_POSTGRES_CONFIGURATION}'" not in row[0]:
                search_index_drop(connection=connection)
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
            cursor.execute("DROP INDEX IF EXISTS articles_article_search_vector")
            cursor.execute("ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector")


def _fts5_expression(terms: SearchQueryTerms) -> str:
    # Every form is a quoted FTS5 string; quotes inside are doubled. Words only
    # reach here (see WORD), so this is belt and braces.
    def quoted(form: str) -> str:
        return '"' + form.replace('"', '""') + '"'

    return " AND ".join("(" + " OR ".join(quoted(form) for form in forms) + ")" for forms in terms.words)


def _postgres_query(terms: SearchQueryTerms) -> tuple[str, list[str]]:
    """A tsquery expression matching every word in one of its forms, and its parameters."""
    one = f"plainto_tsquery('{_POSTGRES_CONFIGURATION}', %s)"
    expression = " && ".join("(" + " || ".join([one] * len(forms)) + ")" for forms in terms.words)
    return expression, [form for forms in terms.words for form in forms]


def article_ids_matching(terms: SearchQueryTerms) -> QuerySet:
    """The ids of the articles (any status) matching every word of the query: a subquery the admin filters by."""
    if not terms:
        return Article.objects.none().values("pk")
    if connection.vendor == "postgresql":
        expression, parameters = _postgres_query(terms)
        matches = RawSQL(
            f"{Article._meta.db_table}.search_vector @@ ({expression})", parameters, output_field=BooleanField()
        )
        return Article.objects.annotate(matches=matches).filter(matches=True).values("pk")
    return SearchEntry.objects.filter(search_text__fts_match=_fts5_expression(terms)).values("article_id")


def search_too_common(terms: SearchQueryTerms) -> bool:
    """Whether the index leaves out every word of the query as too common to search for: PostgreSQL's
    English configuration drops stop words (`the`, `of`) from documents and queries alike, so such a
    query finds nothing there. SQLite's index keeps every word."""
    if not terms or connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT bool_and(numnode(plainto_tsquery('{_POSTGRES_CONFIGURATION}', form)) = 0) "
            "FROM unnest(%s::text[]) AS form",
            [sorted(terms.forms)],
        )
        return bool(cursor.fetchone()[0])


# The index's matches in rank order, each article read by its id for its
# status and date: the cost follows the matches, not the archive. Plain SQL:
# the ORM would take longer to compile it than SQLite to run it.
_SQLITE_RANKED = (
    f"SELECT a.id FROM {SearchEntry._meta.db_table} s JOIN {Article._meta.db_table} a ON a.id = s.rowid "
    "WHERE s.search_text MATCH %s AND a.status = %s ORDER BY s.rank, a.published DESC, a.id DESC"
)


_POSTGRES_RANKED = (
    f"SELECT a.id FROM {Article._meta.db_table} a, (SELECT {{query}}) AS q(query) "
    "WHERE a.search_vector @@ q.query AND a.status = %s "
    "ORDER BY ts_rank(a.search_vector, q.query) DESC, a.published DESC NULLS LAST, a.id DESC"
)


def published_ids_ranked(terms: SearchQueryTerms) -> list[int]:
    """The ids of the published articles matching every word of the query, most relevant first, then newest."""
    if not terms:
        return []
    if connection.vendor == "postgresql":
        expression, parameters = _postgres_query(terms)
        with connection.cursor() as cursor:
            cursor.execute(_POSTGRES_RANKED.format(query=expression), [*parameters, Article.Status.PUBLISHED])
            return [row[0] for row in cursor.fetchall()]
    with connection.cursor() as cursor:
        cursor.execute(_SQLITE_RANKED, [_fts5_expression(terms), Article.Status.PUBLISHED])
        return [row[0] for row in cursor.fetchall()]


# `arabic.normalize` as replacements, derived from it: hamza forms, alef
# maqsura and ta marbuta folded (harakat and tatweel are dropped by
# `_DROPPED`); and the Latin accents `arabic.text.fold_latin` folds, one for
# one, only in a text that has one. `str.replace` and a regular expression
# run in C: a `str.translate` table of these took six times as long over an
# Arabic paragraph, and a search's passages fold a page's paragraphs.
_ARABIC_FOLDS = tuple((char, normalize(char)) for char in "إأٱآىة" if normalize(char) != char)
_LATIN_ACCENTED = re.compile("[" + re.escape("".join(chr(code) for code in LATIN_FOLDS)) + "]")


_DROPPED = re.compile("[" + "".join(char for char in (*DIACRITICS, TATWEEL) if not normalize(char)) + "]")


def _folded(text: str) -> tuple[str, list[int]]:
    """The folded text, and where folding dropped characters: for the k-th dropped
    character, its index in the folded text (so that an index there maps back)."""
    folded = _DROPPED.sub("", text)
    for char, target in _ARABIC_FOLDS:
        folded = folded.replace(char, target)
    if _LATIN_ACCENTED.search(folded):
        folded = fold_latin(folded)  # one for one: offsets hold
    if len(folded) == len(text):
        return folded, []
    return folded, [match.start() - k for k, match in enumerate(_DROPPED.finditer(text))]


def original_span(start: int, end: int, *, dropped: list[int], folded_length: int, text_length: int) -> tuple[int, int]:
    """A span of the folded text as a span of the original: the characters dropped before it
    added; a span ends where the next letter starts, so it keeps its harakat."""
    start += bisect_right(dropped, start)
    end = end + bisect_right(dropped, end) if end < folded_length else text_length
    return start, end


_PREFIXES = frozenset(PREFIXES)
# English words as the porter stemmer of the index finds them, roughly: `talks`, `talked`, `Gaza's`.
_ENGLISH_ENDINGS = frozenset({"s", "es", "ed", "ing", "'s", "’s"})


def _word_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole word (letters and digits) around text[start:end]."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def _words_matched(folded: str, terms: SearchQueryTerms) -> dict[tuple[int, int], int]:
    """The whole words of a folded text that are a form of a query word (or a proclitic and a form
    of MIN_STEM letters or more; in English, a form and an ending), each with its query word.

    Found with `str.find`, which runs in C, rather than a regular expression: a pattern of the
    query's forms cost more to compile, for each new query, than to read a page of results."""
    lowered = folded.lower() if terms.latin else folded  # Arabic has no case
    if len(lowered) != len(folded):  # a letter whose lower case is two: read as written
        lowered = folded
    found: dict[tuple[int, int], int] = {}
    for index, forms in enumerate(terms.words):
        for form in forms:
            at = lowered.find(form)
            while at != -1:
                start, end = _word_edges(lowered, at, at + len(form))
                before, after = lowered[start:at], lowered[at + len(form) : end]
                if (not before or (len(form) >= MIN_STEM and before in _PREFIXES)) and (
                    not after or after in _ENGLISH_ENDINGS
                ):
                    found.setdefault((start, end), index)
                at = lowered.find(form, at + 1)
    return found


def matched_spans(text: str, terms: SearchQueryTerms) -> list[tuple[int, int, int]]:
    """Where the query's words match `text` (whole words, any of their forms and spellings), as
    (start, end, index of the query word) over the original text, in no particular order; a
    span ends where the next letter starts, so it keeps the word's harakat."""
    if not text or not terms:
        return []
    folded, dropped = _folded(text)
    return [
        (*original_span(start, end, dropped=dropped, folded_length=len(folded), text_length=len(text)), index)
        for (start, end), index in _words_matched(folded, terms).items()
    ]


def marked_html(text: str, spans, *, start: int = 0, end: int | None = None) -> SafeString:
    """text[start:end] (all of it by default), escaped, with each span (start, end, …) in `<mark>`; a
    span overlapping an earlier one, or running past the end, is left out.

    Built as a list of escaped pieces, joined once: a results page marks twenty titles and passages
    on every search, and Django's `escape` and `format_html` cost more than the text they wrap."""
    end = len(text) if end is None else end
    pieces = []
    last = start
    for mark_start, mark_end, *_ in sorted(spans):
        if mark_start < last or mark_end > end:
            continue
        pieces += (html_escape(text[last:mark_start]), "<mark>", html_escape(text[mark_start:mark_end]), "</mark>")
        last = mark_end
    pieces.append(html_escape(text[last:end]))
    return mark_safe("".join(pieces))


def search_highlight(text: str, terms: SearchQueryTerms) -> SafeString:
    """`text`, escaped, with every word matching the query in `<mark>` (whole words, so letters stay
    joined): the marks go round the original letters, harakat included."""
    if not text or not terms:
        return escape(text)
    return marked_html(text, matched_spans(text, terms))
