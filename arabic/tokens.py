"""Sentences and words of Arabic text, each word with its offsets.

Offsets are Unicode code points over the text as given, in logical order,
end exclusive: the same counting as every span the project stores.
"""

import re

# A sentence ends after . ! ? ؟ or … and the space that follows.
_SENTENCE_END = re.compile(r"(?<=[.!?؟…])\s+")

Word = tuple[str, int, int]


def sentences(text: str) -> list[str]:
    """The text cut after each sentence's closing mark."""
    return _SENTENCE_END.split(text)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, as `sentences` cuts it, the spaces between left out."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(start, end) for start, end in spans if end > start]


# A run of letters and marks only (Arabic and Latin): camel-tools would leave it whole, and reads it
# a character at a time to find that out. Most words of a text are such runs.
_LETTERS_ONLY = re.compile(r"[\u0621-\u065F\u0670-\u06D3A-Za-z]+")


def _words(sentence: str) -> list[str]:
    """The words of a sentence as camel-tools' simple_word_tokenize cuts them."""
    from camel_tools.tokenizers.word import simple_word_tokenize

    words = []
    for chunk in sentence.split():
        if _LETTERS_ONLY.fullmatch(chunk):
            words.append(chunk)
        else:
            words += simple_word_tokenize(chunk)
    return words


def tokens_with_offsets(text: str) -> list[list[Word]]:
    """Sentences of (word, start, end), words as camel-tools' simple_word_tokenize cuts them
    (punctuation apart, clitics attached)."""
    found = []
    position = 0
    for sentence in sentences(text):
        words = []
        for word in _words(sentence):
            start = text.find(word, position)
            if start < 0:  # the tokenizer changed the word; skip it rather than guess
                continue
            words.append((word, start, start + len(word)))
            position = start + len(word)
        if words:
            found.append(words)
    return found
