"""Names that news writes in set phrases, where the phrase says what the name is even when the
name itself is new: a media outlet after its head noun, a ministry with its nationality, a
photographer credited in a caption.

The model reads words and their neighbours; a channel nobody has heard of
(`قناة خبر تورك`) or a ministry it never saw tagged (`وزارة الخارجية
التركية`: ANERcorp leaves ministries untagged, NewsFANE tags them) it may
miss, and a photographer's name before an agency's it may take for part of
the agency. These rules read the phrase around the name instead:

- **A media outlet**: after `قناة`, `صحيفة`, `جريدة`, `مجلة`, `وكالة` or
  `إذاعة`, a name in quotes, or a run of up to three words none of which is
  a common word training saw outside names (`Featurizer.plain`), is an
  organisation: the name without its head noun, as ANERcorp and NewsFANE tag
  it (`صحيفة "القادسية"`, `صحيفة نيويورك تايمز`) and as credits name it
  (`(الأناضول)`); linking finds `قناة X` from `X`. A place named there is the
  outlet (`صحيفة القدس`); an adjective of the article after the name is not
  part of it (`يديعوت أحرونوت الإسرائيلية`), nor a person the model found
  right after it (`جريدة الوفاق مصيب نعيمي`, `arabic.ner.pipeline`).
- **A ministry of a country**: `وزارة`, its portfolio (one or two words with
  the article: `الخارجية`, `التربية والتعليم`) and an adjective of the
  article ending in -iyya (`التركية`, `الأمريكية`), whole. Without the
  adjective (`وزارة الخارجية`) it is left alone: every country has one, and
  linked by name across articles they would be one entity.
- **A photographer**: a caption that closes with a credit, `(name/agency)`
  or `(تصوير: name)`, names a person before the slash when that part reads as
  a person's name (two to four words, the first with no article and not a
  common word, the whole no gazetteer name: `(بوب رايندرز/فرانس برس)`, not
  `(الداخلية السورية/إكس)`).

Each rule gives a candidate of the shipped model's rank (its source), as sure
as the gazetteer (1.0): it needs the model's vocabulary to tell a common word,
so it runs only where the shipped model does.
"""

import re

from ..clitics import Reading, readings
from ..text import normalize
from ..tokens import Word

# How sure a phrase rule is: as the gazetteer, enough to give a name its span and type.
PHRASE_CONFIDENCE = 1.0

# Whether the rules run (bench/ner_data.py and the cross-validation can switch them off).
MEDIA_NAMES = True
MINISTRIES = True
PHOTO_CREDITS = True

# Not شبكة: a network is as often of criminals or of roads as a broadcaster's.
MEDIA_HEADS = frozenset(normalize(word) for word in ("قناة", "صحيفة", "جريدة", "مجلة", "وكالة", "إذاعة"))
_MINISTRIES = frozenset({normalize("وزارة")})
_OPENING_QUOTES = frozenset("\"«“„'")
_CLOSING_QUOTES = frozenset("\"»”'")
# Words that end a name after a head noun whatever the model's vocabulary says.
_STOP = "أن إن ان عن في من على إلى الى التي الذي مع بعد قبل حول عبر منذ خلال و أو ثم كما لكن ال"
# What a media head noun takes as a common noun (وكالة الأنباء "news agency", وكالة الصحافة الفرنسية).
_STOP += " أنباء الأنباء الصحافة الإعلام الفضاء"
_STOP_WORDS = frozenset(normalize(word) for word in _STOP.split())
# A word that carries a preposition and the article (للتفاوض, بالإنجليزية) is not a name in construct.
_CARRIES_ARTICLE = ("لل", "بال", "وال", "فال", "كال")
_MEDIA_WORDS = 3
_QUOTED_WORDS = 4
_LETTERS = re.compile(r"^[^\W\d_]{2,}$")


# Any head noun of the rules, as written (ة or ه, إ or ا): most sentences hold none and cost no more.
_ANY_HEAD = re.compile(r"(?:قنا|صحيف|جريد|مجل|وكال|[إا]ذاع|وزار)[ةه]")


def may_name_by_head(text: str) -> bool:
    """Whether a text holds a head noun of the rules at all (most do not)."""
    return _ANY_HEAD.search(text) is not None


def may_credit(text: str) -> bool:
    """Whether a text closes with a parenthesis, as a credit does."""
    return text.rstrip(" .،,\n").endswith(")")


def _head(word: str, heads) -> Reading | None:
    """The reading of `word`'s proclitics whose stem is one of the head nouns (`وبوزارة`), if any."""
    if _ANY_HEAD.search(word) is None:
        return None
    return next((reading for reading in readings(normalize(word)) if reading.stem in heads), None)


def _is_word(word: str) -> bool:
    """Letters only, two or more (no number, no bare `الـ`)."""
    return bool(_LETTERS.match(word.replace("\u0640", "")))


def media_spans(sentence: list[Word], plain) -> list[tuple[int, int]]:
    """(start, end) of each outlet named after a media head noun in one sentence of words;
    `plain(word)`: whether the word is a common word that is not a name."""
    spans = []
    for index, (word, _, _) in enumerate(sentence):
        if not _head(word, MEDIA_HEADS):
            continue
        rest = sentence[index + 1 :]
        if rest and rest[0][0] in _OPENING_QUOTES:
            inside = []
            for item in rest[1 : _QUOTED_WORDS + 2]:
                if item[0] in _CLOSING_QUOTES:
                    break
                inside.append(item)
            else:
                continue  # no closing quote near: not a name in quotes
            if inside and all(_is_word(item[0]) for item in inside):
                spans.append((inside[0][1], inside[-1][2]))
            continue
        run = []
        for item in rest[:_MEDIA_WORDS]:
            folded = normalize(item[0])
            if not _is_word(item[0]) or folded in _STOP_WORDS or plain(item[0]):
                break
            # An adjective of the article after the name (صحيفة الأهرام القاهرية, يديعوت أحرونوت الإسرائيلية).
            if run and folded.startswith("ال") and folded.endswith(("يه", "ي")):
                break
            run.append(item)
        if not run:
            continue
        first = normalize(run[0][0])
        # `قناة إذاعية`, `شبكة تركية`: an adjective of the head noun, no name.
        if first.startswith(_CARRIES_ARTICLE) or (not first.startswith("ال") and first.endswith("يه")):
            continue
        spans.append((run[0][1], run[-1][2]))
    return spans


def ministry_spans(sentence: list[Word]) -> list[tuple[int, int]]:
    """(start, end) of each `وزارة` + portfolio + adjective of nationality in one sentence of words."""
    spans = []
    for index, (word, start, _) in enumerate(sentence):
        head = _head(word, _MINISTRIES)
        if head is None:
            continue
        rest = [normalize(item[0]) for item in sentence[index + 1 : index + 4]]
        if not rest or not rest[0].startswith("ال") or not _is_word(rest[0]):
            continue
        portfolio = 2 if len(rest) > 1 and rest[1].startswith("وال") else 1
        if len(rest) <= portfolio:
            continue
        adjective = rest[portfolio]
        if adjective.startswith("ال") and adjective.endswith("يه") and len(adjective) > 5 and _is_word(adjective):
            # Proclitics counted on the folded word: the head nouns are found only written without harakat.
            spans.append((start + head.skipped, sentence[index + portfolio + 1][2]))
    return spans


# A caption's closing credit: `(name/agency)`, `(تصوير: name)`, at the very end.
_CREDIT = re.compile(r"\(([^()]*)\)[\s.،,]*$")
_PHOTO_BY = re.compile(r"^\s*(?:تصوير|عدسة|عدسه)\s*:?\s*")


def photographer_span(text: str, plain, named) -> tuple[int, int] | None:
    """Where a caption's closing credit names its photographer, or None.

    `plain(word)`: a common word that is not a name; `named(start, end)`:
    whether the gazetteer holds exactly that span's text.
    """
    credit = _CREDIT.search(text)
    if credit is None:
        return None
    start, inside = credit.start(1), credit.group(1)
    by = _PHOTO_BY.match(inside)
    if by:
        start, inside = start + by.end(), inside[by.end() :]
    elif "/" not in inside:
        return None
    person = inside.split("/")[0]
    words = person.split()
    if not 2 <= len(words) <= 4 or not all(_is_word(word) for word in words):
        return None
    first = normalize(words[0])
    if first.startswith("ال") or plain(words[0]) or any(normalize(word) in _STOP_WORDS for word in words):
        return None
    begin = start + len(person) - len(person.lstrip())
    end = start + len(person.rstrip())
    return None if named(begin, end) else (begin, end)
