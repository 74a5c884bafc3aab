"""The word panel's words in the reader's language: the page carries them (a JSON data block, which
the Content-Security-Policy lets through since it never runs) and static/js/words.js reads them, so
the panel speaks the interface's language with no string in the script. Cached pages are kept per
language, and so are these."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def part_of_speech_names() -> dict[str, str]:
    """The parts of speech both lexicons name (`arabic.lexicon.POS_WORDS`, `arabic.morphology`), by
    their English words, in the interface's language. The API keeps the English words."""
    return {
        "noun": pgettext("part of speech", "noun"),
        "proper noun": pgettext("part of speech", "proper noun"),
        "adjective": pgettext("part of speech", "adjective"),
        "comparative adjective": pgettext("part of speech", "comparative adjective"),
        "verb": pgettext("part of speech", "verb"),
        "verb, perfect": pgettext("part of speech", "verb, perfect"),
        "verb, imperfect": pgettext("part of speech", "verb, imperfect"),
        "verb, imperative": pgettext("part of speech", "verb, imperative"),
        "pseudo-verb": pgettext("part of speech", "pseudo-verb"),
        "function word": pgettext("part of speech", "function word"),
        "adverb": pgettext("part of speech", "adverb"),
        "interrogative adverb": pgettext("part of speech", "interrogative adverb"),
        "relative adverb": pgettext("part of speech", "relative adverb"),
        "preposition": pgettext("part of speech", "preposition"),
        "conjunction": pgettext("part of speech", "conjunction"),
        "subordinating conjunction": pgettext("part of speech", "subordinating conjunction"),
        "article": pgettext("part of speech", "article"),
        "pronoun": pgettext("part of speech", "pronoun"),
        "demonstrative pronoun": pgettext("part of speech", "demonstrative pronoun"),
        "relative pronoun": pgettext("part of speech", "relative pronoun"),
        "interrogative pronoun": pgettext("part of speech", "interrogative pronoun"),
        "exclamative pronoun": pgettext("part of speech", "exclamative pronoun"),
        "number": pgettext("part of speech", "number"),
        "ordinal number": pgettext("part of speech", "ordinal number"),
        "quantifier": pgettext("part of speech", "quantifier"),
        "abbreviation": pgettext("part of speech", "abbreviation"),
        "interjection": pgettext("part of speech", "interjection"),
        "particle": pgettext("part of speech", "particle"),
        "negative particle": pgettext("part of speech", "negative particle"),
        "interrogative particle": pgettext("part of speech", "interrogative particle"),
        "future particle": pgettext("part of speech", "future particle"),
        "emphatic particle": pgettext("part of speech", "emphatic particle"),
        "focus particle": pgettext("part of speech", "focus particle"),
        "restrictive particle": pgettext("part of speech", "restrictive particle"),
        "verbal particle": pgettext("part of speech", "verbal particle"),
        "vocative particle": pgettext("part of speech", "vocative particle"),
    }


def panel_strings() -> dict:
    """Every word the panel shows that is not the lexicon's."""
    return {
        "panel": _("Word lookup"),
        "close": _("Close"),
        "loading": _("Looking up…"),
        "none": _("No analysis: the lexicon does not have this word."),
        "failed": _("The lookup failed; try again."),
        "editorGloss": _("Editor's gloss"),
        "editorsOnly": _("editors only"),
        "entityPage": _("Articles that mention it"),
        "lemma": _("Lemma"),
        "root": _("Root"),
        "parts": _("Parts"),
        "more": _("More readings"),
        "fewer": _("Fewer readings"),
        "previous": _("Previous word"),
        "next": _("Next word"),
        "save": _("Save as gloss"),
        "saving": _("Saving…"),
        "saved": _("Saved as a gloss on this word: readers see it first."),
        "notSaved": _("Not saved:"),
        "source": _("Lexicon:"),
        "cursor": _("Word %(number)s of %(count)s: %(word)s"),
        "pos": part_of_speech_names(),
    }
