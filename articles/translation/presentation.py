"""What a reader is told about an article's translation: one notice above the
text for the state most untranslated segments share (queued, failed and why,
turned off), and a mark only on the rows whose state differs from it.

A failure that happened under other translation settings (another provider,
address or key) is not shown: its reason may name a provider the site no
longer uses, and the worker sends the segment again. It counts as queued (or
turned off, when translation now is)."""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models import Translation
from .config import settings_key


class SegmentState(models.TextChoices):
    TRANSLATED = "translated", _("translated")
    QUEUED = "queued", _("queued")
    FAILED = "failed", _("failed")
    DISABLED = "disabled", _("turned off")


def failure_shown(translation: Translation | None, *, key: str | None = None) -> bool:
    """Whether the segment failed under the translation settings in use (so its reason is worth telling)."""
    return (
        translation is not None
        and translation.status == Translation.Status.FAILED
        and translation.failed_with == (key or settings_key())
    )


def segment_state(translation: Translation | None, *, provider_off: bool, key: str | None = None) -> SegmentState:
    if translation is not None and translation.text:
        return SegmentState.TRANSLATED
    if not provider_off and failure_shown(translation, key=key):
        return SegmentState.FAILED
    return SegmentState.DISABLED if provider_off else SegmentState.QUEUED


@dataclass(frozen=True)
class TranslationNotice:
    """The article-wide state of the segments without a translation."""

    state: SegmentState
    reason: str = ""
    missing: int = 0
    total: int = 0
    # Paragraph ids that get a mark in their row: those whose state is not `state`, and
    # every untranslated one when others are translated.
    differing: frozenset = field(default_factory=frozenset)
    # No paragraph has a translation: the original takes the page's width.
    nothing_translated: bool = False


def translation_notice(*, article, provider_off: bool) -> TranslationNotice | None:
    """None when every segment of the article (title, caption, paragraphs, related headlines) is translated."""
    paragraphs = list(article.paragraphs.all())
    segments = [article.title_translation, *(p.translation for p in paragraphs)]
    if article.lead_caption:
        segments.append(article.caption_translation)
    segments += [story.translation for story in article.related_stories.all()]
    key = settings_key()
    states = [segment_state(t, provider_off=provider_off, key=key) for t in segments]
    missing = [state for state in states if state != SegmentState.TRANSLATED]
    if not missing:
        return None
    state = Counter(missing).most_common(1)[0][0]
    errors = Counter(reason_text(t.error) for t in segments if failure_shown(t, key=key) and t.error)
    row_states = {p.pk: segment_state(p.translation, provider_off=provider_off, key=key) for p in paragraphs}
    some_translated = any(row == SegmentState.TRANSLATED for row in row_states.values())
    return TranslationNotice(
        state=state,
        reason=errors.most_common(1)[0][0] if state == SegmentState.FAILED and errors else "",
        missing=len(missing),
        total=len(states),
        # Among translated rows, each one without is an exception worth its mark.
        differing=frozenset(
            pk for pk, row in row_states.items() if row != SegmentState.TRANSLATED and (row != state or some_translated)
        ),
        nothing_translated=not some_translated,
    )


# The provider errors stored in English (articles/translation/providers.py),
# said again in the interface's language; anything else is shown as stored.
_REASONS = [
    (re.compile(r"could not connect to (?P<label>.+) \(offline\?\)"), _("could not connect to %(label)s (offline?)")),
    (
        re.compile(r"(?P<label>.+) did not answer within (?P<seconds>\S+) seconds"),
        _("%(label)s did not answer within %(seconds)s seconds"),
    ),
    (re.compile(r"(?P<label>.+) refused: too many requests \(HTTP 429\)"), _("%(label)s refused: too many requests")),
    (re.compile(r"(?P<label>.+) failed with a server error .*"), _("%(label)s failed with a server error")),
    (re.compile(r"(?P<label>.+) refused the API key .*"), _("%(label)s refused the API key")),
]


_NOT_SENT = re.compile(r"not sent: (?P<reason>.+) earlier in this run")


def reason_text(error: str) -> str:
    not_sent = _NOT_SENT.fullmatch(error)
    if not_sent:  # the same cause as the segment that failed first
        error = not_sent["reason"]
    for pattern, wording in _REASONS:
        match = pattern.fullmatch(error)
        if match:
            return str(wording) % match.groupdict()
    return error
