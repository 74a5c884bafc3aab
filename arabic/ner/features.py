"""What the shipped tagger looks at for each word of a sentence.

Pages are not normalised like the training corpus, so every feature is
computed on the project's folded form (`arabic.normalize`: hamza forms,
alef maqsura, ta marbuta and harakat do not matter). Besides the word, its
affixes and shape, a word is described by the form it has without its
proclitics (`وبالمانيا` → `المانيا`), by the words around it, by trigger
words in its context (titles, verbs of saying, words that introduce an
organisation or a place), and by the project's own gazetteer (whether the
word starts or continues a name the gazetteer knows, and of which type), so
that names editors add to the gazetteer help the model too.

The trigger words are common nouns and verbs of news language, never names.
"""

import re

from ..clitics import CONJUNCTIONS, readings
from ..text import normalize

_ARABIC = re.compile(r"[\u0621-\u064a]")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")


def folded_words(words: str) -> frozenset[str]:
    """The words of a space-separated list, folded as the model reads them."""
    return frozenset(normalize(word) for word in words.split())


# Titles and roles that come before a person's name.
PERSON_TITLES = folded_words(
    """
    الرئيس رئيس الرئيسة رئيسة وزير الوزير وزيرة الوزيرة نائب النائب النائبة الملك الملكة الأمير الأميرة
    الشيخ الشيخة السيد السيدة الدكتور الدكتورة د المستشار المستشارة الأمين أمين المبعوث المندوب السفير سفير
    السفيرة الجنرال اللواء العميد العقيد الفريق المشير القائد قائد زعيم الزعيم المتحدث الناطق المتحدثة
    الناطقة مدير المدير مديرة المديرة محافظ المحافظ الحاكم حاكم عضو العضو النجم النجمة اللاعب اللاعبة
    لاعب المدرب مدرب الفنان الفنانة المطرب المطربة المغني المغنية الممثل الممثلة المخرج المخرجة الكاتب
    الكاتبة الروائي الروائية الشاعر الشاعرة الصحافي الصحفي الصحافية المراسل الباحث الباحثة العالم البروفيسور
    الأستاذ الأستاذة المحامي المحامية القاضي البابا الإمام المرشد آية الله الحاخام المطران الكاردينال
    السلطان الأمير ولي العهد المفوض المنسق الموفد المرشح المرشحة الجنرال الرئيسين نجل ابن ابنة زوجة زوج
    شقيق شقيقة والد والدة عائلة الراحل الراحلة الفقيد برئاسة بقيادة بزعامة يرأس يترأس ترأس يتزعم تزعم
    """
)
# Verbs of saying and acting that follow or precede a person.
SAYING = folded_words(
    """
    قال قالت يقول تقول أكد أكدت يؤكد تؤكد أعلن أعلنت يعلن تعلن أضاف أضافت يضيف أوضح أوضحت يوضح صرح صرحت
    أشار أشارت يشير ذكر ذكرت يذكر تابع تابعت اعتبر اعتبرت يعتبر رأى رأت يرى دعا دعت يدعو طالب طالبت طالب
    شدد شددت نفى نفت حذر حذرت أفاد أفادت كشف كشفت لفت لفتت استقبل استقبلت التقى التقت زار زارت بحث بحثت
    وصف وصفت قاد سجل سجلت فاز فازت
    """
)
# Nouns that introduce an organisation's name.
ORG_TRIGGERS = folded_words(
    """
    وزارة الوزارة حركة الحركة حزب الحزب منظمة المنظمة جامعة الجامعة شركة الشركة وكالة الوكالة صحيفة الصحيفة
    مجلة المجلة نادي النادي منتخب المنتخب فريق الفريق مجلس المجلس هيئة الهيئة اتحاد الاتحاد جمعية الجمعية
    بنك البنك مصرف المصرف مؤسسة المؤسسة قناة القناة تلفزيون إذاعة جبهة الجبهة تنظيم التنظيم جيش الجيش
    محكمة المحكمة برلمان البرلمان لجنة اللجنة مركز المركز معهد المعهد كلية الكلية مستشفى مجموعة المجموعة
    رابطة الرابطة نقابة النقابة ائتلاف الائتلاف تحالف التحالف كتائب سرايا قوات القوات
    حكومة الحكومة شرطة الشرطة الخارجية الداخلية الدفاع المخابرات الاستخبارات البحرية سلاح جهاز الجهاز
    بورصة البورصة سوق إدارة الإدارة
    """
)
# Nouns that introduce a place's name.
PLACE_TRIGGERS = folded_words(
    """
    مدينة المدينة محافظة المحافظة ولاية الولاية منطقة المنطقة إقليم الإقليم بلدة البلدة قرية القرية مخيم
    المخيم حي نهر النهر بحر البحر جبل الجبل جبال جزيرة الجزيرة جزر خليج الخليج عاصمة العاصمة مطار المطار
    ميناء الميناء شارع الشارع ساحة الساحة ميدان الميدان شمال شمالي جنوب جنوبي شرق شرقي غرب غربي وسط
    دولة الدولة بلاد سواحل قطاع ضاحية
    """
)
# Prepositions of place that often come before a place name.
PLACE_PREPOSITIONS = folded_words("في من إلى الى نحو داخل خارج قرب بين عبر")

# Words that join the parts of a person's name (عبد الله, أبو مازن, بن سلمان).
NAME_LINKS = frozenset(["عبد", "ابو", "ابن", "بن", "بنت", "ام", "ال", "دي", "فان", "فون"])
# Affixes a stem is read with.
_SUFFIX_PRONOUNS = ("هما", "هم", "هن", "ها", "كم", "نا", "ه")


def proclitic_length(word: str, known: dict[str, int] | None = None) -> int:
    """How many leading characters of a (folded) word are proclitics.

    With `known` (counts of clitic-free forms seen in training), the reading
    whose stem is the most frequent wins: `بغداد` is a stem, `وقال` is و +
    قال. Unknown words lose a leading conjunction, and a preposition only
    before the article (`بالمانيا`); the article itself stays (`ل` + `ال`
    keeps the article's lam).
    """
    # لل is ل + ال: no word starts with two lams otherwise (`للامم` reads
    # ل + الامم, as the gazetteer reads it), however often the corpus left it unsegmented.
    for conjunction in ("", *CONJUNCTIONS):
        if word.startswith(conjunction + "لل") and len(word) - len(conjunction) >= 4:
            return len(conjunction) + 1
    options = [reading for reading in readings(word) if reading.skipped]
    if not options:
        return 0
    if known:
        whole = known.get(word, 0)
        counts = [(known.get(reading.stem, 0), -reading.skipped, reading.skipped) for reading in options]
        best = max(counts)
        # A clitic reading wins only when its stem is clearly more common than
        # the whole word: `فيدان` is not ف + يدان "two hands".
        if best[0] >= 3 * (whole + 1):
            return best[2]
        if whole:
            return 0
    for reading in sorted(options, reverse=True):
        prefix, stem = word[: reading.skipped], reading.stem
        if stem.startswith("ال") and len(stem) > 3:
            return reading.skipped
        if prefix == "و" and len(stem) >= 3:
            return reading.skipped
    return 0


def stem_of(word: str, known: dict[str, int] | None = None) -> str:
    """The folded word without its proclitics (the article kept)."""
    skipped = proclitic_length(word, known)
    stem = word[skipped:]
    known = known or {}
    # لل: the preposition took the article's alef.
    if skipped and word[skipped - 1] == "ل" and stem.startswith("ل") and known.get("ا" + stem, 0) >= known.get(stem, 0):
        stem = "ا" + stem
    return stem


def shape(word: str) -> str:
    if _DIGIT.search(word):
        return "digit"
    if _LATIN.search(word):
        return "latin"
    if _ARABIC.search(word):
        return "arabic"
    return "punct"


_TRIGGERS = (
    ("title", PERSON_TITLES),
    ("say", SAYING),
    ("org", ORG_TRIGGERS),
    ("place", PLACE_TRIGGERS),
    ("prep", PLACE_PREPOSITIONS),
)
_CONTEXT_KEYS = ("w=", "s=", "t=", "shape=", "lex=", "lext=", "name=")
# Words whose features are kept (a few kB each): a process reading a large archive stays near
# 150 MB for them; the commonest words come back at once after the cache is emptied.
_CACHE_LIMIT = 50_000


# The neighbours a word's row describes: (offset, prefix); the two nearest see more of it.
_NEIGHBOURS = ((-2, "-2"), (-1, "-1"), (1, "+1"), (2, "+2"))


class Featurizer:
    """Features of words and sentences, given the stems seen in training.

    `known` counts each clitic-free form in the training text; `lexicon`
    gives the entity type a form mostly had there. The lexicon a model
    learns from is built without the sentences it describes (see
    `crf.crf_train`), so the model learns how far to trust it for words it
    has not seen.
    """

    def __init__(
        self,
        known: dict[str, int] | None = None,
        lexicon: dict[str, str] | None = None,
        names: dict[str, str] | None = None,
        frequencies: dict[str, int] | None = None,
        people: list[str] | None = None,
    ):
        self.known = known or {}
        self.lexicon = lexicon or {}
        self.names = names or {}
        # How common a form is in Arabic at large (wordfreq's Zipf scale, 3–7; absent: rarer).
        self.frequencies = frequencies or {}
        # People's full names from the names list (folded), matched as the gazetteer's are.
        self.people: dict[str, list[tuple[str, ...]]] = {}
        self.people_words: frozenset[str] = frozenset()
        if people:
            words = set()
            for name in people:
                key = tuple(name.split())
                self.people.setdefault(key[0], []).append(key)
                words.update(key)
            for first in self.people:
                self.people[first].sort(key=len, reverse=True)
            # A word of a listed name that is itself common says little.
            self.people_words = frozenset(word for word in words if self.frequencies.get(word, 0) < 5)
        self._cache: dict[str, tuple] = {}

    def word(self, word: str) -> tuple[str, ...]:
        """The features of one word, alone."""
        return self._parts(word)[0]

    def stems(self, words: list[str]) -> list[str]:
        """What the document pass matches each word on: its folded, clitic-free form."""
        return [self._parts(word)[0][1][2:] for word in words]

    def plain(self, word: str) -> bool:
        """Whether the word is common in training and was (nearly) never part of a name there."""
        return self._parts(word)[2]

    def _parts(self, word: str) -> tuple:
        """A word's features, those its neighbours see, and its triggers (cached: news repeats its words)."""
        cached = self._cache.get(word)
        if cached is None:
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            own = self._word(word)
            near = tuple(f for f in own if f.startswith(_CONTEXT_KEYS))
            far = tuple(f for f in near if f.startswith(("w=", "t=")))
            triggers = tuple(f for f in far if f.startswith("t="))
            # A common word that was (nearly) never a name: the first pass calls it O.
            plain = "common=True" in own and "lex=O" in own and not any(f.startswith("also=") for f in own)
            # What a neighbour sees of the word, prefixed by where it stands from the neighbour.
            seen = tuple(
                tuple(prefix + f for f in (far if abs(offset) == 2 else near)) for offset, prefix in _NEIGHBOURS
            )
            cached = self._cache[word] = (own, triggers, plain, seen)
        return cached

    def _word(self, word: str) -> tuple[str, ...]:
        folded = normalize(word)
        stem = stem_of(folded, self.known)
        bare = stem[2:] if stem.startswith("ال") and len(stem) > 4 else stem
        kind = shape(folded)
        features = [
            "w=" + folded,
            "s=" + stem,
            "shape=" + kind,
            "p=" + folded[: len(folded) - len(stem)],
            "al=" + str(stem.startswith("ال")),
            "len=" + str(min(len(bare), 8)),
        ]
        if kind == "arabic":
            features += ["s2=" + bare[:2], "s3=" + bare[:3], "e1=" + bare[-1:], "e2=" + bare[-2:], "e3=" + bare[-3:]]
            features += ["s4=" + bare[:4], "e4=" + bare[-4:]]
            # Long vowels mark transcribed foreign names (ريتشارد, هوبكينز): the
            # word's consonant/vowel pattern, runs collapsed.
            pattern = re.sub(r"(.)\1+", r"\1", "".join("V" if char in "اوي" else "C" for char in bare))
            features.append("cv=" + pattern[:8])
            features.append("vowels=" + str(min(sum(char in "اوي" for char in bare), 4)))
            for pronoun in _SUFFIX_PRONOUNS:
                if bare.endswith(pronoun) and len(bare) > len(pronoun) + 2:
                    features.append("pron=" + pronoun)
                    break
            if bare.endswith("ي") or bare.endswith("يه"):
                features.append("nisba")
        features += [f"t={name}" for name, words in _TRIGGERS if folded in words or stem in words]
        listed = self.names.get(stem) or self.names.get(bare)
        if listed:
            features.append("name=" + listed)
        if self.frequencies and kind == "arabic":
            features.append("zipf=" + str(self.frequencies.get(stem) or self.frequencies.get(folded) or "rare"))
        if stem in self.people_words:
            features.append("listed")
        # The label the word mostly had in training, or "none": a word never
        # seen there, after a title or before a verb of saying, is likely a name.
        label, *also = (self.lexicon.get(stem) or self.lexicon.get(folded) or "none").split("|")
        features += ["also=" + kind for kind in also]
        common = label.endswith("+")
        label = label.rstrip("+")
        features += ["lex=" + label, "common=" + str(common)]
        if "-" in label:
            features.append("lext=" + label.partition("-")[2])
        return tuple(features)

    def sentence(self, words: list[str], gazetteer_tags: list[str], encyclopedic: bool = False) -> list[list[str]]:
        """Features of every word of a sentence: its own, its neighbours', the gazetteer's.

        In an encyclopedic document every feature also comes as a copy of its
        own (`genre`), where the model learns how encyclopedias name things
        differently from news."""
        parts = [self._parts(word) for word in words]
        own = [part[0] for part in parts]
        people = self._listed_people(own) if self.people else None
        seen = [part[3] for part in parts]
        triggers = [part[1] for part in parts]
        result = []
        last = len(words) - 1
        for index, features in enumerate(own):
            row = ["bias", *features, "g=" + gazetteer_tags[index]]
            if people is not None:
                row += [
                    prefix + "nl=" + people[other]
                    for prefix, other in (("", index), ("-1", index - 1), ("+1", index + 1))
                    if 0 <= other <= last
                ]
            for position, (offset, prefix) in enumerate(_NEIGHBOURS):
                other = index + offset
                if 0 <= other <= last:
                    row += seen[other][position]
                    row.append(prefix + "g=" + gazetteer_tags[other])
                else:
                    row.append(prefix + "edge")
            previous = gazetteer_tags[index - 1] if index else "^"
            row.append(f"g-1|g={previous}|{gazetteer_tags[index]}")
            # Word pairs: the stem with each neighbour's (رئيس الوزراء, عبد الله).
            stem = features[1]
            if index:
                row.append("-1s|s=" + own[index - 1][1][2:] + "|" + stem[2:])
            if index < last:
                row.append("s|+1s=" + stem[2:] + "|" + own[index + 1][1][2:])
            # Titles and verbs of saying a few words away (وزير الخارجية التركي هاكان فيدان).
            before = {f for other in triggers[max(0, index - 4) : index] for f in other}
            after = {f for other in triggers[index + 1 : index + 4] for f in other}
            if before:
                row += ["<" + f for f in sorted(before)]
            if after:
                row += [">" + f for f in sorted(after)]
            if encyclopedic:
                row += ["E|" + f for f in row]
            result.append(row)
        return result

    def _listed_people(self, own: list[tuple[str, ...]]) -> list[str]:
        """B/I/O for each word: where a listed person's full name stands (its first word may carry proclitics)."""
        stems = [features[1][2:] for features in own]
        folded = [features[0][2:] for features in own]
        tags = ["O"] * len(own)
        index = 0
        while index < len(own):
            for key in self.people.get(stems[index], ()):
                if tuple(folded[index + 1 : index + len(key)]) == key[1:] and index + len(key) <= len(own):
                    tags[index] = "B"
                    for inside in range(index + 1, index + len(key)):
                        tags[inside] = "I"
                    index += len(key) - 1
                    break
            index += 1
        return tags


# --- The document pass ---------------------------------------------------------------

# News names a person in full once and by surname after (`أرسين فينغر` … `فينغر`):
# the second pass of the shipped model reads what the first pass and the
# gazetteer said of the same (folded, clitic-free) word elsewhere in the document.


def _roles(labels: list[str]) -> list[tuple[str, ...]]:
    """What each word was in a sentence's labels: its type, and where it sat in its span."""
    roles: list[tuple[str, ...]] = []
    for index, label in enumerate(labels):
        tag, _, kind = label.partition("-")
        if not kind:
            roles.append(("O",))
            continue
        follows = index + 1 < len(labels) and labels[index + 1] == "I-" + kind
        if tag == "B" and not follows:
            where = "one"
        elif tag == "B":
            where = "first"
        else:
            where = "mid" if follows else "last"
        roles.append((kind, f"{where}-{kind}"))
    return roles


def document_features(
    stems: list[list[str]], labels: list[list[str]], gazetteer: list[list[str]]
) -> list[list[list[str]]]:
    """For each word of each sentence: what the rest of the document said of the same word.

    `labels` are the first pass's, `gazetteer` the gazetteer's tags. Each
    feature names a role (`PERS`, `last-PERS` for a surname, `O`, `g-LOC`,
    or just `seen`) and whether it was seen once or more elsewhere; the word's own use is
    left out, so a word alone in its document gets none.
    """
    events = [
        [
            (*role, *(("g-" + tag[2:],) if tag != "O" else ())) if len(stem) > 1 else ()
            for stem, role, tag in zip(sentence_stems, _roles(sentence_labels), sentence_tags, strict=True)
        ]
        for sentence_stems, sentence_labels, sentence_tags in zip(stems, labels, gazetteer, strict=True)
    ]
    totals: dict[str, dict[str, int]] = {}
    for sentence_stems, sentence_events in zip(stems, events, strict=True):
        for stem, own in zip(sentence_stems, sentence_events, strict=True):
            if own:
                counts = totals.setdefault(stem, {})
                counts[""] = counts.get("", 0) + 1
                for event in own:
                    counts[event] = counts.get(event, 0) + 1
    result = []
    for sentence_stems, sentence_events in zip(stems, events, strict=True):
        rows = []
        for stem, own in zip(sentence_stems, sentence_events, strict=True):
            counts = totals.get(stem) if own else None
            if not counts or counts[""] == 1:
                rows.append([])
                continue
            row = []
            for event, count in counts.items():
                elsewhere = count - (1 if event in own or not event else 0)
                if elsewhere > 0:
                    row.append(f"d:{event or 'seen'}={'1' if elsewhere == 1 else '2+'}")
            rows.append(row)
        result.append(rows)
    return result
