"""The recognisers' pure work, on plain text: candidates from the gazetteer, from camel-tools'
BERT model and from the shipped CRF, and the rules that combine them with editors' decisions.

Precedence, span by span: editor, then gazetteer, then camel-tools' BERT
model (when installed), then the shipped CRF model; among candidates of the
same rank the longer span wins, then the earlier one, then the label in
alphabetical order, so overlaps are resolved the same way every time. One
refinement: a gazetteer name inside a longer span the shipped model is
confident of (`مدريد` in `ريال مدريد`), or the very span the model is very
sure has another type (`ليفربول` the club), takes the model's span and type.
A rejected span never comes back, and a span an editor kept is never covered.

Offsets are code points over each text. Nothing here knows the database: the
app (`articles.entities.recognition`) gives the gazetteer and the decisions
and stores what comes back.
"""

import re
from dataclasses import dataclass, replace

from ..text import normalize, normalize_word
from ..tokens import Word, tokens_with_offsets
from . import crf, phrases
from .camel import BatchedNER
from .features import NAME_LINKS, PLACE_PREPOSITIONS, PLACE_TRIGGERS, folded_words
from .gazetteer import Gazetteer

TYPES = ("PERS", "LOC", "ORG", "MISC")


class Source:
    """Who found a mention (the values `Mention.Source` stores)."""

    EDITOR = "editor"
    GAZETTEER = "gazetteer"
    MODEL = "model"
    SHIPPED = "crf"


PRECEDENCE = {Source.EDITOR: 0, Source.GAZETTEER: 1, Source.MODEL: 2, Source.SHIPPED: 3}


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    label: str
    source: str
    score: float | None = None
    entity_id: int | None = None

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


@dataclass(frozen=True)
class Decision:
    """An editor's decision on a span: kept (confirmed, added) or rejected."""

    start: int
    end: int
    rejected: bool


def names_in(value) -> list[str]:
    """The usable names of an aliases value: non-empty strings, whatever else a bad row holds."""
    if not isinstance(value, list):
        return []
    return [name for name in value if isinstance(name, str) and name.strip()]


# --- The gazetteer ----------------------------------------------------------------


def entity_rank(source: str, key: str | None) -> tuple[int, int]:
    by_source = {"editor": 0, "curated": 1, "cldr": 2, "iso": 3}.get(source, 4)
    # Countries and regions before cities: a name both claim is the country's.
    return by_source, 1 if (key or "").startswith("city:") else 0


def gazetteer_of(rows) -> Gazetteer:
    """A trie of (id, name, aliases) rows; aliases that are not non-empty strings are ignored.

    Bad aliases can be stored by older code or by hand; they must not stop
    recognition of every article.
    """
    gazetteer = Gazetteer()
    for pk, name, aliases in rows:
        for alias in [name, *names_in(aliases)]:
            gazetteer.add(alias, pk)
    return gazetteer


def seed_gazetteer() -> tuple[Gazetteer, dict[int, str]]:
    """The gazetteer as `load_gazetteer` seeds it, built in memory (for training: no database, no editor)."""
    from .seed import gazetteer_seed

    entries = sorted(enumerate(gazetteer_seed()), key=lambda pair: (*entity_rank(pair[1].source, pair[1].key), pair[0]))
    gazetteer = gazetteer_of((index, entry.name_ar, entry.aliases) for index, entry in entries)
    return gazetteer, {index: entry.type for index, entry in entries}


# A country named right after these words is its national team (منتخب مصر, فريق المغرب). A
# place in a sentence about a match is left a place (`تعادل مع فرنسا`): ANERcorp and AQMAR tag
# it so, and a rule that made it the team lost on every corpus's folds (`docs/entities.md`).
_TEAM_WORDS = frozenset(normalize(word) for word in ("منتخب", "المنتخب", "فريق", "الفريق", "لمنتخب", "ومنتخب"))
_LAST_WORD = re.compile(r"(\w+)\W*$")
_NEXT_WORD = re.compile(r"\W*(\w+)")
# Place names that a set phrase makes a common noun, with the words before them or the beginnings
# of the word after them that make it: مسقط رأسه "his birthplace" (not Muscat), نصف قطر
# "radius" (not Qatar), جنات عدن "the Garden of Eden" (not Aden).
_IDIOMS = {
    normalize(name): (frozenset(normalize(word) for word in before), tuple(normalize(word) for word in after))
    for name, before, after in (
        ("مسقط", (), ("رأس",)),
        ("قطر", ("نصف",), ()),
        ("عدن", ("جنات", "جنة"), ()),
    )
}


# Place names that are also an adjective (a nisba): right after a noun that agrees with them in
# definiteness they are the adjective, "financial" in دعم مالي, مركز مالي (14 of the corpora's 20
# `مالي` that are no place), "Saudi" in العائلة المالكة السعودية, المحادثات الإسرائيلية السعودية (all
# of theirs after a word with the article, but for إلى), unless that noun heads a place (جنوب مالي,
# رئيس مالي) or is a preposition (في مالي, إلى السعودية).
_ADJECTIVES_TOO = {normalize("مالي"): False, normalize("السعودية"): True}  # whether it has the article


# A noun that heads a place's name, or a country's government or people (جنوب مالي, رئيس مالي).
_PLACE_HEADS = PLACE_TRIGGERS | folded_words(
    "جمهورية إمبراطورية مملكة حكومة رئيس وزير خارجية جيش شعب حدود أراضي سلطات منتخب"
)
# Prepositions and other words that are no noun, some of them folded to look as if with the article (الى).
_NOT_NOUNS = PLACE_PREPOSITIONS | folded_words("عن على مع حول إلا التي الذي الذين اللتي اللاتي اللواتي")


def _in_idiom(text: str, start: int, end: int, previous: "re.Match | None") -> bool:
    """Whether the place name at text[start:end] is a common word where it stands: in a set phrase
    (`_IDIOMS`), or an adjective after a noun (`_ADJECTIVES_TOO`)."""
    name = normalize(text[start:end])
    word = normalize(previous.group(1)) if previous else ""
    if name in _ADJECTIVES_TOO:
        # Only a word right before it, a space apart, that is no proclitic, preposition or place
        # head, and has the article as the adjective has it.
        adjacent = previous is not None and text[previous.end(1) : start].isspace()
        return (
            adjacent
            and len(word) > 2
            and word.startswith("ال") == _ADJECTIVES_TOO[name]
            and word not in _NOT_NOUNS
            # A head takes the name in construct, without the article (العاصمة السعودية is "the Saudi capital").
            and (_ADJECTIVES_TOO[name] or word not in _PLACE_HEADS)
        )
    idiom = _IDIOMS.get(name)
    if idiom is None:
        return False
    before, after = idiom
    following = _NEXT_WORD.match(text, end)
    return word in before or bool(following and normalize(following.group(1)).startswith(after or ("\0",)))


def gazetteer_candidates(text: str, gazetteer: Gazetteer, types: dict[int, str]) -> list[Candidate]:
    found = []
    for m in gazetteer.find(text):
        label, entity_id = types[m.entity_id], m.entity_id
        if label == "LOC":
            before = _LAST_WORD.search(text, max(0, m.start - 40), m.start)
            previous = normalize(before.group(1)) if before else ""
            if _in_idiom(text, m.start, m.end, before):
                continue
            if previous in _TEAM_WORDS:
                label, entity_id = "ORG", None  # the team, not the place
        found.append(Candidate(m.start, m.end, label, Source.GAZETTEER, 1.0, entity_id))
    return found


# --- The models ------------------------------------------------------------------


def spans_from_bio(words: list[Word], labels: list[str]) -> list[tuple[int, int, str]]:
    """Character spans from per-word B-/I- labels; an I- after another type starts a span."""
    spans: list[list] = []
    previous = None
    for (_, start, end), label in zip(words, labels, strict=True):
        tag, _, kind = label.partition("-")
        if not kind or kind not in TYPES:
            previous = None
            continue
        if tag == "I" and previous == kind:
            spans[-1][1] = end
        else:
            spans.append([start, end, kind])
        previous = kind
    return [(start, end, kind) for start, end, kind in spans]


def model_candidates(texts: list[str], model: BatchedNER, batch_size: int | None = None) -> list[list[Candidate]]:
    """Model mentions for each text, predicted in one batched run."""
    per_text = [tokens_with_offsets(text) for text in texts]
    sentences = [sentence for sentences in per_text for sentence in sentences]
    labels = model.predict([[word for word, _, _ in sentence] for sentence in sentences], batch_size=batch_size)
    results: list[list[Candidate]] = []
    cursor = 0
    for sentences_of_text in per_text:
        found = []
        for sentence in sentences_of_text:
            for start, end, kind in spans_from_bio(sentence, labels[cursor]):
                found.append(Candidate(start, end, kind, Source.MODEL))
            cursor += 1
        results.append(found)
    return results


# The least confidence of a shipped-model span kept, by type. A place the
# model is unsure of is more often a false alarm than a find: on two
# cross-validation folds of the training blocks, 0.6 for LOC raised LOC
# precision by 1.6–1.7 points and left micro F1 as it was (74.3, 72.9);
# any threshold for PERS or ORG lost more than it gained.
SHIPPED_MIN_CONFIDENCE = {"LOC": 0.6}


def shipped_candidates(
    texts: list[str],
    model: crf.ShippedNER,
    gazetteer_found: list[list[Candidate]],
    per_text: list[list[list[Word]]] | None = None,
    encyclopedic: bool | None = None,
) -> list[list[Candidate]]:
    """The shipped model's mentions for each text, told where the gazetteer found names
    (those less sure than SHIPPED_MIN_CONFIDENCE for their type left out).

    The texts are one document (an article's segments): the model's second
    pass reads what it found in all of them. `per_text`: the texts' sentences
    of words, when already cut; `encyclopedic`: whether the document is read
    as an encyclopedia article (None: as the model judges it).
    """
    if per_text is None:
        per_text = [tokens_with_offsets(text) for text in texts]
    document = []
    for sentences, known in zip(per_text, gazetteer_found, strict=True):
        matches = [(c.start, c.end, c.label) for c in known]
        document += [(sentence, crf.gazetteer_tags(sentence, matches)) for sentence in sentences]
    tagged = iter(model.tag_document(document, encyclopedic))
    results = []
    for sentences in per_text:
        found = []
        for _ in sentences:
            for span in next(tagged):
                if span.confidence >= SHIPPED_MIN_CONFIDENCE.get(span.label, 0):
                    found.append(Candidate(span.start, span.end, span.label, Source.SHIPPED, span.confidence))
        results.append(found)
    return results


def texts_candidates(
    texts: list[str],
    *,
    gazetteer: Gazetteer,
    types: dict[int, str],
    model: BatchedNER | None = None,
    shipped: crf.ShippedNER | None = None,
    batch_size: int | None = None,
    per_text: list[list[list[Word]]] | None = None,
    encyclopedic: bool | None = None,
) -> list[list[Candidate]]:
    """Every recogniser's candidates for each text, model mentions linked to gazetteer entities.

    `per_text` and `encyclopedic` as `shipped_candidates` takes them.
    """
    by_gazetteer = [gazetteer_candidates(text, gazetteer, types) for text in texts]
    by_model = model_candidates(texts, model, batch_size) if model else [[] for _ in texts]
    if shipped and per_text is None:
        per_text = [tokens_with_offsets(text) for text in texts]
    by_shipped = (
        shipped_candidates(texts, shipped, by_gazetteer, per_text, encyclopedic) if shipped else [[] for _ in texts]
    )
    found = [
        [_credited(candidate, text) for candidate in known]
        + [_credited(_linked(candidate, text, gazetteer), text) for candidate in [*modelled, *shipped_found]]
        for text, known, modelled, shipped_found in zip(texts, by_gazetteer, by_model, by_shipped, strict=True)
    ]
    if shipped is not None:
        found = [
            phrase_candidates(text, sentences, candidates, shipped.featurizer.plain)
            for text, sentences, candidates in zip(texts, per_text, found, strict=True)
        ]
    if shipped is not None and SURNAME_ENDS:
        found = surnames_ended(texts, found, shipped.featurizer)
    if shipped is not None and SURNAMES_AGAIN:
        found = [
            candidates + extra
            for candidates, extra in zip(found, surname_candidates(texts, found, shipped, per_text), strict=True)
        ]
    return found


# --- Rules over what the recognisers found -----------------------------------------

# A name in parentheses that closes a text is a credit: the agency or
# photographer (`... 17 يوليو 2024 (الأناضول)`), an organisation, not the
# place the same word names elsewhere (Anatolia).
_CREDIT_END = re.compile(r"^[\s.،,]*$")


def _credited(candidate: Candidate, text: str) -> Candidate:
    if candidate.label != "LOC" or candidate.start == 0 or text[candidate.start - 1] != "(":
        return candidate
    closing = text.find(")", candidate.end)
    if closing < 0 or text[candidate.end : closing].strip("/ ") or not _CREDIT_END.match(text[closing + 1 :]):
        return candidate
    return Candidate(candidate.start, candidate.end, "ORG", candidate.source, candidate.score, None)


def phrase_candidates(text: str, sentences: list[list[Word]], candidates: list[Candidate], plain) -> list[Candidate]:
    """The candidates of one text with the names its set phrases give (`arabic.ner.phrases`): an
    outlet after `قناة`/`صحيفة`…, a ministry with its nationality, a caption's photographer.

    A phrase's name replaces the models' candidates it overlaps (`بوب رايندرز`
    read as part of the agency after it) and, being as sure as the gazetteer,
    takes the span and type of a gazetteer name inside it (`صحيفة القدس`).
    """
    found: list[Candidate] = []
    for sentence in sentences if phrases.may_name_by_head(text) else []:
        if phrases.MEDIA_NAMES:
            found += [
                Candidate(s, e, "ORG", Source.SHIPPED, phrases.PHRASE_CONFIDENCE)
                for s, e in phrases.media_spans(sentence, plain)
            ]
        if phrases.MINISTRIES:
            found += [
                Candidate(s, e, "ORG", Source.SHIPPED, phrases.PHRASE_CONFIDENCE)
                for s, e in phrases.ministry_spans(sentence)
            ]
    if phrases.PHOTO_CREDITS and phrases.may_credit(text):
        gazetteer_spans = {(c.start, c.end) for c in candidates if c.source == Source.GAZETTEER}
        span = phrases.photographer_span(text, plain, lambda start, end: (start, end) in gazetteer_spans)
        if span is not None:
            found.append(Candidate(*span, "PERS", Source.SHIPPED, phrases.PHRASE_CONFIDENCE))
    if not found:
        return candidates
    # An outlet's name ends where a person the models found begins (جريدة الوفاق مصيب نعيمي).
    people = [c.start for c in candidates if c.label == "PERS"]
    found = [_cut_before(f, [start for start in people if f.start < start < f.end], text) for f in found]
    models = (Source.MODEL, Source.SHIPPED)
    kept = [c for c in candidates if c.source not in models or not any(c.overlaps(f.start, f.end) for f in found)]
    return kept + found


def _cut_before(candidate: Candidate, starts: list[int], text: str) -> Candidate:
    """An organisation's candidate ended before the first of `starts` inside it, if any."""
    if candidate.label != "ORG" or not starts:
        return candidate
    return replace(candidate, end=candidate.start + len(text[candidate.start : min(starts)].rstrip()))


# Whether a surname said again alone is found as a person (see `surname_candidates`).
SURNAMES_AGAIN = True


# Whether `surnames_ended` runs (bench/ner_data.py can switch it off).
SURNAME_ENDS = True
# Words that open a name and are never one alone (عبد المنعم, أبو شرخ).
_NAME_PARTICLES = NAME_LINKS | folded_words("أبي آل ذو")


def surnames_ended(texts: list[str], found: list[list[Candidate]], featurizer) -> list[list[Candidate]]:
    """A person the model found that opens with another person's surname, and runs on into words
    no name of the document or names list holds, is that surname alone (`أردوغان سيعقدان`, after
    `رجب طيب أردوغان`: "Erdoğan will hold")."""
    names: dict[str, int] = {}
    surnames: dict[str, int] = {}
    spans = []
    for text, candidates in zip(texts, found, strict=True):
        for candidate in candidates:
            if candidate.label == "PERS":
                words = normalize(text[candidate.start : candidate.end]).split()
                spans.append(words)
                for word in words:
                    names[word] = names.get(word, 0) + 1
    for words in spans:
        if len(words) > 1:
            surnames[words[-1]] = surnames.get(words[-1], 0) + 1

    def ended(text: str, candidate: Candidate) -> Candidate:
        if candidate.label != "PERS" or candidate.source != Source.SHIPPED:
            return candidate
        parts = list(re.finditer(r"\S+", text[candidate.start : candidate.end]))
        words = [normalize(part.group()) for part in parts]
        # Another name ends in its first word, a word no names list gives as a given name (محمد ends
        # `أحمد محمد` and opens `محمد نايف`), and none but itself ends in its last.
        if (
            len(words) < 2
            or words[0] not in surnames
            or featurizer.names.get(words[0]) == "given"
            or words[0] in _NAME_PARTICLES
            or words[0].startswith("عبد")
            or surnames.get(words[-1], 0) > 1
        ):
            return candidate
        for word in words[1:]:
            if (
                names.get(word, 0) > 1
                or word in featurizer.names
                or word in featurizer.people_words
                or "PERS" in featurizer.lexicon.get(word, "")
            ):
                return candidate
        return replace(candidate, end=candidate.start + parts[0].end())

    return [[ended(text, c) for c in candidates] for text, candidates in zip(texts, found, strict=True)]


def surname_candidates(
    texts: list[str],
    found: list[list[Candidate]],
    shipped: crf.ShippedNER,
    per_text: list[list[list[Word]]] | None = None,
) -> list[list[Candidate]]:
    """A person's last name said again alone in the document, where no recogniser found it.

    News names a person in full once and by surname after (`هاكان فيدان` …
    `لقاء فيدان`); the document pass finds most of those, not all. A word
    whose clitic-free form is the last word of a person's name of two words
    or more elsewhere in the document, and that is not a common word
    training saw outside names (`Featurizer.plain`), is that person, with
    the confidence of the name it repeats.
    """
    from ..clitics import readings

    surnames: dict[str, float] = {}
    named: dict[str, int] = {}  # how often each word stands inside a person's name
    for text, candidates in zip(texts, found, strict=True):
        for candidate in candidates:
            if candidate.label != "PERS":
                continue
            words = normalize(text[candidate.start : candidate.end]).split()
            for word in words:
                named[word] = named.get(word, 0) + 1
            if len(words) > 1 and len(words[-1]) > 2:
                surnames[words[-1]] = max(surnames.get(words[-1], 0.0), candidate.score or 0.0)
    results: list[list[Candidate]] = [[] for _ in texts]
    if not surnames:
        return results
    unnamed: dict[str, list[tuple[int, Candidate]]] = {}
    if per_text is None:
        per_text = [tokens_with_offsets(text) for text in texts]
    for number, (sentences, candidates) in enumerate(zip(per_text, found, strict=True)):
        for sentence in sentences:
            for word, start, end in sentence:
                folded = normalize_word(word)
                # Most words end in no surname: a proclitic run is at most three letters (وبال).
                if not any(folded[skip:] in surnames for skip in range(4)):
                    continue
                if any(candidate.overlaps(start, end) for candidate in candidates):
                    continue
                for reading in readings(folded):
                    if reading.stem in surnames and not shipped.featurizer.plain(word):
                        skipped = len(word) - len(word.lstrip()) + _original_offset(word, reading.skipped)
                        candidate = Candidate(start + skipped, end, "PERS", Source.SHIPPED, surnames[reading.stem])
                        unnamed.setdefault(reading.stem, []).append((number, candidate))
                        break
    # A word the recognisers left outside names far more often than they put it in one is a
    # common word that once ended a name they got wrong (`الحروب الصليبية` read as a person
    # makes every later `الصليبية` one), not a surname.
    for stem, found_again in unnamed.items():
        if len(found_again) <= SURNAME_REPEATS * named.get(stem, 0):
            for number, candidate in found_again:
                results[number].append(candidate)
    return results


# How many times more often a surname may stand alone, unfound, than inside names found.
SURNAME_REPEATS = 3


def _original_offset(word: str, folded_offset: int) -> int:
    """Where the `folded_offset`-th character of the folded word lies in the word."""
    from ..text import normalize_with_offsets

    _, offsets = normalize_with_offsets(word)
    return offsets[folded_offset] if folded_offset < len(offsets) else len(word)


# --- Combining ------------------------------------------------------------------


# How sure the shipped model must be of a span that contains a gazetteer name
# for its boundaries and type to replace the gazetteer's (ريال مدريد, نهر النيجر),
# and of another type for the very span the gazetteer found (ليفربول the club).
CONTAINING_CONFIDENCE = 0.5
RETYPE_CONFIDENCE = 0.9


def _contained_in_model_span(candidate: Candidate, candidates: list[Candidate]) -> bool:
    """Whether a gazetteer candidate lies inside a longer, confident span of the shipped model."""
    if candidate.source != Source.GAZETTEER:
        return False
    for other in candidates:
        inside = other.start <= candidate.start and candidate.end <= other.end
        if other.source != Source.SHIPPED or not inside:
            continue
        longer = other.end - other.start > candidate.end - candidate.start
        if (longer and (other.score or 0) >= CONTAINING_CONFIDENCE) or (
            not longer and other.label != candidate.label and (other.score or 0) >= RETYPE_CONFIDENCE
        ):
            return True
    return False


def resolve(candidates: list[Candidate], decisions: list[Decision]) -> list[Candidate]:
    """The machine candidates to keep beside the editors' decisions.

    The gazetteer outranks the models, except that a gazetteer name inside a
    longer span the shipped model is confident of yields to that span: the
    gazetteer knows `مدريد` and `القاهرة`, the model reads `ريال مدريد` (a
    club) and `جامعة القاهرة` (a university) whole.
    """
    candidates = [c for c in candidates if not _contained_in_model_span(c, candidates)]
    kept = [(d.start, d.end) for d in decisions if not d.rejected]
    rejected = {(d.start, d.end) for d in decisions if d.rejected}
    chosen: list[Candidate] = []
    for candidate in sorted(
        candidates,
        key=lambda c: (PRECEDENCE[c.source], -(c.end - c.start), c.start, c.label, c.entity_id or 0),
    ):
        if (candidate.start, candidate.end) in rejected:
            continue
        if any(candidate.overlaps(start, end) for start, end in kept):
            continue
        if any(candidate.overlaps(other.start, other.end) for other in chosen):
            continue
        chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.start)


def _linked(candidate: Candidate, text: str, gazetteer: Gazetteer) -> Candidate:
    """A model mention whose whole text is a gazetteer name is linked to that entity."""
    matches = gazetteer.find(text[candidate.start : candidate.end])
    if len(matches) == 1 and matches[0].end - matches[0].start == candidate.end - candidate.start:
        return Candidate(
            candidate.start, candidate.end, candidate.label, candidate.source, candidate.score, matches[0].entity_id
        )
    return candidate
