"""Is an imported article Arabic? The share of its letters written in Arabic
script says so well enough for news text: an Arabic article quoting English
names stays far above the bar, an English article quoting Arabic far below.
The reader renders and translates every article as Arabic, so anything else
is refused with its measured share rather than shown backwards."""

import unicodedata

from .records import ArticleRecord, ImportFailure

# At least this share of the letters must be Arabic script.
ARABIC_SHARE_MIN = 0.5

_ARABIC_BLOCKS = (
    (0x0600, 0x06FF),  # Arabic
    (0x0750, 0x077F),  # Arabic Supplement
    (0x0870, 0x08FF),  # Arabic Extended-B and -A
    (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFF),  # Arabic Presentation Forms-B
)


def _is_arabic(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _ARABIC_BLOCKS)


def arabic_share(text: str) -> float:
    """The share of the letters of `text` that are Arabic script (0 when it has no letters)."""
    letters = [char for char in text if unicodedata.category(char).startswith("L")]
    if not letters:
        return 0.0
    return sum(_is_arabic(char) for char in letters) / len(letters)


def record_language_check(*, record: ArticleRecord) -> None:
    """Raise ImportFailure, saying why, when the title and paragraphs are not Arabic text."""
    share = arabic_share(" ".join([record.title, *record.paragraphs]))
    if share < ARABIC_SHARE_MIN:
        raise ImportFailure(
            f"the text is not Arabic: {share:.0%} of its letters are in Arabic script "
            f"(at least {ARABIC_SHARE_MIN:.0%} are needed); this site reads and translates Arabic articles only"
        )
