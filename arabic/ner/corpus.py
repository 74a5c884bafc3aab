"""NewsFANE Gold (2014), and the lines of any annotated corpus, read as pages write Arabic, for training and scoring.

Every corpus file is read line by line here (`read_documents`: ANERcorp's,
AQMAR's and Wojood's shapes, CoNLL's columns, IOBES tags); `corpora.py`
maps each shared corpus's tags and keeps its folds.

The corpus stands one token per line (`token<TAB>tag`, a line with a single
tab between sentences), clitic-segmented, with a U+200E mark before most
tokens. Pages write clitics joined to their word, so sentences are rebuilt
the way a page writes them: proclitics (و ف ب ل ك) join the next word
(`و` + `قال` → `وقال`, `ل` + `الحكومة` → `للحكومة`) and suffixed pronouns
join the previous one (`فريق` + `ه` → `فريقه`). Entity spans keep their
extent without the proclitic, as the gazetteer's do.

The corpus's fine classes are mapped to PERS/LOC/ORG/MISC by the table of
its README; `Group` (nationalities, peoples) is not an entity.

Held-out part: the sentences of every fifth block of 50 (sentence indexes
200–249, 450–499, …: block number modulo 5 equals 4) are never used for
training; `evaluate_ner` scores on them only.
"""

from dataclasses import dataclass, field
from pathlib import Path

from ..text import normalize, normalize_with_offsets

CORPUS_FILE = "NewsFANE_Gold_2014_shared.txt"
BLOCK = 50
HELD_OUT_EVERY = 5
HELD_OUT_FOLD = HELD_OUT_EVERY - 1

TYPE_OF_CLASS = {
    **dict.fromkeys(
        [
            "Politician",
            "Athlete",
            "Artist",
            "Other_PER",
            "Religious_PER",
            "Scientist",
            "Businessperson",
            "Lawyer",
            "Engineer",
        ],
        "PERS",
    ),
    **dict.fromkeys(
        [
            "Nation",
            "Population-Center",
            "State-or-Province",
            "GPE-Cluster",
            "County-or-District",
            "Continent",
            "Water-Body",
            "Land",
            "Land-Region-Natural",
            "Celestial",
            "Building-Grounds",
            "Airport",
            "Path",
            "Subarea-Facility",
        ],
        "LOC",
    ),
    **dict.fromkeys(
        [
            "Non-Governmental",
            "Sports",
            "Media",
            "Government",
            "Commercial",
            "Educational",
            "Police",
            "Religious_ORG",
            "Entertainment",
            "Medical-Science",
        ],
        "ORG",
    ),
    **dict.fromkeys(
        ["Book", "Movie", "Software", "Hardware", "Air", "Water", "Projectile", "Shooting", "Food", "Drug", "Plant"],
        "MISC",
    ),
    # The four types themselves, and the names other annotated corpora give
    # them (ANERcorp, CoNLL, OntoNotes), so that any of them can be scored.
    **dict.fromkeys(["PERS", "PER", "PERSON"], "PERS"),
    **dict.fromkeys(["LOC", "LOCATION", "GPE", "FAC"], "LOC"),
    **dict.fromkeys(["ORG", "ORGANIZATION"], "ORG"),
    "MISC": "MISC",
}
# Classes that are deliberately not entities (see the module's docstring).
NOT_ENTITIES = frozenset(["Group", "NORP"])
# Tokens that end a sentence, for files that mark no sentence boundary.
SENTENCE_ENDS = frozenset([".", "!", "?", "؟"])

PROCLITICS = frozenset("وفبلك")
SUFFIXES = frozenset(["ه", "ها", "هم", "هما", "هن", "نا", "ي", "ني", "ن", "كم"])
_MARKS = "\u200e\u200f\ufeff"


class CorpusError(ValueError):
    """The corpus file is missing or not in the expected shape."""


@dataclass
class Sentence:
    """A sentence as a page writes it: its words, their offsets, the gold spans."""

    index: int
    text: str
    words: list[tuple[str, int, int]] = field(default_factory=list)  # (word, start, end)
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, type), clitics excluded
    labels: list[str] = field(default_factory=list)  # BIO per word
    stems: list[str] = field(default_factory=list)  # the clitic-free token of each word
    # Which corpus it comes from, its cross-validation fold (HELD_OUT_FOLD: the
    # held-out part) and the document it belongs to (what the document pass reads
    # together). A sentence read alone takes them from its index: blocks of 50.
    corpus: str = "newsfane"
    fold: int | None = None
    document: int | None = None

    def __post_init__(self):
        if self.fold is None:
            self.fold = (self.index // BLOCK) % HELD_OUT_EVERY
        if self.document is None:
            self.document = self.index // BLOCK

    @property
    def held_out(self) -> bool:
        return self.fold == HELD_OUT_FOLD


def fingerprint(text: str) -> str:
    """A short, stable name for a sentence's (folded) text: the shipped model stores those it was trained on."""
    import hashlib

    return hashlib.sha1(normalize(text).encode("utf-8")).hexdigest()[:16]


def is_held_out(index: int) -> bool:
    """Whether the sentence at `index` belongs to the held-out part (every fifth block of 50)."""
    return (index // BLOCK) % HELD_OUT_EVERY == HELD_OUT_EVERY - 1


def corpus_file(path: Path) -> Path:
    path = Path(path)
    if path.is_dir():
        path = path / CORPUS_FILE
    if not path.is_file():
        raise CorpusError(f"no NewsFANE file at {path} (expected {CORPUS_FILE}, token TAB tag per line)")
    return path


def read_tokens(path: Path, *, strict: bool = True) -> list[list[tuple[str, str]]]:
    """Sentences of (token, fine tag), marks stripped: `read_documents`'s, one after another."""
    return [sentence for document in read_documents(path, strict=strict) for sentence in document]


# What marks a new document in CoNLL files (`-DOCSTART- -X- -X- O`).
DOCUMENT_START = "-DOCSTART-"
# Other tagging schemes' prefixes, as BIO's: IOBES/BILOU's single (S-, U-) and last (E-, L-) words.
_SCHEMES = {"S-": "B-", "U-": "B-", "E-": "I-", "L-": "I-"}
# Files of a corpus folder that are not annotated text.
_NOT_TEXT = ("readme", "licen", "copying", ".")


def _is_tag(field: str) -> bool:
    return field == "O" or field[:2] in ("B-", "I-") or field[:2] in _SCHEMES


def _token_and_tag(line: str) -> tuple[str, str]:
    """A line's token (its first column) and its tag, columns split by tabs or else by spaces.

    Of several columns after the token, the first when all are tags (Wojood's
    nested names, outermost first, as its README keeps them), else the last
    (CoNLL's part of speech and chunk, then the name's tag). IOBES and BILOU
    tags are read as BIO."""
    fields = [field.strip(_MARKS + " ") for field in line.split("\t" if "\t" in line else None)] or [""]
    token, tags = fields[0], [field for field in fields[1:] if field]
    if not tags:
        return token, ""
    tag = tags[0] if all(map(_is_tag, tags)) else tags[-1]
    return token, _SCHEMES.get(tag[:2], tag[:2]) + tag[2:]


def read_documents(path: Path, *, strict: bool = True) -> list[list[list[tuple[str, str]]]]:
    """Documents of sentences of (token, fine tag), marks stripped.

    A line is `token<TAB>tag`, or `token tag` as in ANERcorp, or more columns
    (`_token_and_tag`); sentences are separated by an empty line or one
    holding a single tab. A file with no separator at all is split after
    sentence-ending punctuation. Not `strict`, a tag that is neither O nor
    B-/I- (AQMAR's typos `OO`, `IO`) is O; a class without a prefix (IO
    tagging: `PER`, `LOC`) continues the name before it when of the same
    class, as an `I-` tag does. A `-DOCSTART-` line starts a new
    document; a folder without NewsFANE's file is a corpus of one document a
    file (AQMAR's articles), in name order.
    """
    path = Path(path)
    if path.is_dir() and not (path / CORPUS_FILE).is_file():
        files = sorted(
            child for child in path.iterdir() if child.is_file() and not child.name.lower().startswith(_NOT_TEXT)
        )
        if not files:
            raise CorpusError(f"no annotated file in {path}")
        return [document for child in files for document in read_documents(child, strict=strict)]
    documents: list[list[list[tuple[str, str]]]] = [[[]]]
    separated = False
    with corpus_file(path).open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            token, tag = _token_and_tag(line.rstrip("\r\n"))
            if token == DOCUMENT_START:
                separated = True
                if documents[-1] != [[]]:
                    documents.append([[]])
                continue
            sentences = documents[-1]
            if not token and not tag:
                separated = True
                if sentences[-1]:
                    sentences.append([])
                continue
            if not token:
                continue
            tag = tag or "O"
            if tag in TYPE_OF_CLASS or tag in NOT_ENTITIES:  # IO tagging: a class alone, each name runs on
                tag = "I-" + tag
            if tag != "O" and tag[:2] not in ("B-", "I-"):
                if strict:
                    raise CorpusError(f"{path.name}, line {number}: tag {tag!r} is neither O nor B-/I-")
                tag = "O"
            sentences[-1].append((token, tag))
    if not separated:
        documents = [_split_at_sentence_ends([token for sentence in documents[0] for token in sentence])]
    documents = [[sentence for sentence in document if sentence] for document in documents]
    return [document for document in documents if document]


def _split_at_sentence_ends(tokens: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    sentences: list[list[tuple[str, str]]] = [[]]
    for token, tag in tokens:
        sentences[-1].append((token, tag))
        if token in SENTENCE_ENDS and tag == "O":
            sentences.append([])
    return sentences


def unknown_classes(tokens: list[list[tuple[str, str]]]) -> dict[str, int]:
    """The classes of a corpus (as `read_tokens` gives it) that map to none of the four types (nor
    deliberately to no entity), by count.

    Their mentions are scored as text outside any name: a corpus with its own
    classes says so before its scores are read.
    """
    counts: dict[str, int] = {}
    for sentence in tokens:
        for _, tag in sentence:
            kind = tag[2:]
            if tag.startswith("B-") and kind not in TYPE_OF_CLASS and kind not in NOT_ENTITIES:
                counts[kind] = counts.get(kind, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


def _type(tag: str) -> str | None:
    return TYPE_OF_CLASS.get(tag[2:]) if tag != "O" else None


def _is_word(token: str) -> bool:
    return any("\u0621" <= char <= "\u064a" for char in token)


def page_sentence(index: int, tokens: list[tuple[str, str]]) -> Sentence:
    """Rejoin clitics to their words; keep each entity's span without its proclitic."""
    # Entities over the tokens: (first token, last token, type).
    entities = []
    for position, (_, tag) in enumerate(tokens):
        kind = _type(tag)
        if kind and (
            tag.startswith("B-") or not entities or entities[-1][1] != position - 1 or entities[-1][2] != kind
        ):
            entities.append([position, position, kind])
        elif kind:
            entities[-1][1] = position
    inside = {p for first, last, _ in entities for p in range(first, last + 1)}

    # Group tokens into page words: [proclitics…] main [suffixes…].
    groups: list[list[int]] = []  # token indexes of each word
    mains: list[int] = []  # the main token of each word
    pending: list[int] = []
    for position, (token, _) in enumerate(tokens):
        following = tokens[position + 1][0] if position + 1 < len(tokens) else ""
        if (
            token in PROCLITICS
            and position not in inside
            and _is_word(following)
            and (len(following) >= 2 or (following in PROCLITICS and position + 1 not in inside))
            and (token != "ك" or not groups or following in ("ما", "ان", "انت"))
        ):
            pending.append(position)
            continue
        if (
            token in SUFFIXES
            and not pending
            and position not in inside
            and groups
            and _is_word(tokens[position - 1][0])
        ):
            groups[-1].append(position)
            continue
        groups.append([*pending, position])
        mains.append(position)
        pending = []
    if pending:  # proclitics at the end of a sentence stand alone
        for position in pending:
            groups.append([position])
            mains.append(position)

    text_parts, words, stems = [], [], []
    main_start: dict[int, int] = {}
    main_end: dict[int, int] = {}
    cursor = 0
    for group, main in zip(groups, mains, strict=True):
        if text_parts:
            text_parts.append(" ")
            cursor += 1
        word = ""
        for position in group:
            token = tokens[position][0]
            if position == main:
                if word.endswith("ل") and token.startswith("ال") and len(token) > 2:
                    token = token[1:]  # ل + الحكومة → للحكومة; the span starts at the article's lam
                main_start[main] = cursor + len(word)
                word += token
                main_end[main] = cursor + len(word)
            elif position > main:
                if word.endswith("ة"):
                    word = word[:-1] + "ت"  # ثقة + ه → ثقته
                word += token
            else:
                word += token
        words.append((word, cursor, cursor + len(word)))
        stems.append(tokens[main][0])
        text_parts.append(word)
        cursor += len(word)
    text = "".join(text_parts)

    sentence = Sentence(index=index, text=text, words=words, stems=stems)
    word_of_main = {main: number for number, main in enumerate(mains)}
    labels = ["O"] * len(words)
    for first, last, kind in entities:
        first_main = next((p for p in range(first, last + 1) if p in word_of_main), None)
        last_main = next((p for p in range(last, first - 1, -1) if p in word_of_main), None)
        if first_main is None or last_main is None:
            continue
        sentence.spans.append((main_start[first_main], main_end[last_main], kind))
        first_word, last_word = word_of_main[first_main], word_of_main[last_main]
        labels[first_word] = "B-" + kind
        for number in range(first_word + 1, last_word + 1):
            labels[number] = "I-" + kind
    sentence.labels = labels
    return sentence


def corpus_sentences(path: Path | None = None, tokens: list[list[tuple[str, str]]] | None = None) -> list[Sentence]:
    """Every sentence of the corpus, as pages write them, in corpus order (`tokens`: the corpus already read).

    Some tokens were left unsegmented (`للامم`, `لاسرائيل`): their spans
    lose the proclitic too, read as everywhere else (`features.proclitic_length`
    with the corpus's own clitic-free forms), so that every gold span follows
    one convention.
    """
    from .features import proclitic_length

    if tokens is None:
        if path is None:
            raise ValueError("corpus_sentences needs the corpus's path or its tokens")
        tokens = read_tokens(path)
    sentences = [page_sentence(index, sentence) for index, sentence in enumerate(tokens)]
    known: dict[str, int] = {}
    for sentence in sentences:
        for stem in sentence.stems:
            folded = normalize(stem)
            known[folded] = known.get(folded, 0) + 1
    for sentence in sentences:
        spans = []
        for start, end, kind in sentence.spans:
            word = next((w for w, word_start, _ in sentence.words if word_start == start), None)
            if word is not None:
                folded, offsets = normalize_with_offsets(word)
                skipped = proclitic_length(folded, known) if folded else 0
                if skipped and skipped < len(offsets):
                    start += offsets[skipped]
            spans.append((start, end, kind))
        sentence.spans = spans
    return sentences
