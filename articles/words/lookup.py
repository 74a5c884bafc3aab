"""The analyses of one word: what `/api/words/` answers and the reader's panel shows.

The analyser is the process's (`arabic.morphology.word_analyser`): camel-tools'
morphology database when `install_morphology_db` installed it and
MORPHOLOGY_DB_ENABLED allows it, else Buckwalter's lexicon. It is loaded once
per process; `word_analyser_preload` loads it as the WSGI application starts
(gunicorn imports the application before it forks, so its workers share one
copy and no reader waits for it), not in every management command.
"""

from dataclasses import dataclass

from django.conf import settings

from arabic.lexicon import Analysis
from arabic.morphology import WordAnalyser, word_analyser

# Longer than any Arabic word with its clitics, however vowelled (`وَسَيَكْتُبُونَهَا` is 17).
MAX_WORD_CHARACTERS = 40


class WordRefused(ValueError):
    """Not a word to look up (empty, several words, too long); the message says why."""


@dataclass(frozen=True)
class WordLookup:
    word: str
    analyser: str  # which lexicon answered
    licence: str
    analyses: list[Analysis]


def analyser() -> WordAnalyser:
    """The process's analyser, loaded at the first call."""
    return word_analyser(settings.CAMELTOOLS_DATA, camel=settings.MORPHOLOGY_DB_ENABLED)


def analyser_name() -> str:
    """Which lexicon answers, for the cache key: after an install and a restart, answers change."""
    return analyser().name


def word_analyser_preload() -> None:
    """Load the analyser now (0.4–2.5 s for Buckwalter's), so that the first reader does not wait."""
    analyser()


def word_lookup(*, word: str) -> WordLookup:
    """Every analysis of `word`, likeliest first; none for a word the lexicon lacks (never an error).
    WordRefused for what is not one word."""
    word = word.strip()
    if not word:
        raise WordRefused("give the word to look up: ?w=…")
    if len(word) > MAX_WORD_CHARACTERS:
        raise WordRefused(f"a word has at most {MAX_WORD_CHARACTERS} characters; this has {len(word)}")
    if any(char.isspace() for char in word):
        raise WordRefused("give one word, without spaces")
    found = analyser()
    return WordLookup(word=word, analyser=found.name, licence=found.licence, analyses=found.analyses(word))
