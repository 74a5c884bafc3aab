"""How far an article's translation and entity recognition have got, for the admin's list:
counted in the list's one query, filtered and sorted by a state, and said in words."""

from django.db import models
from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Mention, Translation


class TranslationProgress(models.TextChoices):
    FAILED = "failed", _("some failed")
    WAITING = "waiting", _("waiting")
    DONE = "done", _("translated")
    NONE = "none", _("not queued")


class RecognitionProgress(models.TextChoices):
    TO_REVIEW = "review", _("to review")
    REVIEWED = "reviewed", _("all reviewed")
    NONE = "none", _("none found")


def _count(model, **conditions):
    rows = model.objects.filter(article=OuterRef("pk"), **conditions).order_by().values("article")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0)


def articles_with_progress(*, queryset: QuerySet) -> QuerySet:
    """Each article with its counts of translated, failed, waiting and reviewed segments, of entity
    mentions and of those awaiting an editor, and its `translation_progress` and `recognition_progress`."""
    status = Translation.Status
    queryset = queryset.annotate(
        segments_total=_count(Translation),
        segments_done=_count(Translation, status=status.DONE),
        segments_failed=_count(Translation, status=status.FAILED),
        segments_waiting=_count(Translation, status=status.PENDING),
        segments_reviewed=_count(Translation, reviewed_at__isnull=False),
        mentions_total=_count(Mention, status__in=[Mention.Status.SUGGESTED, Mention.Status.CONFIRMED]),
        mentions_to_review=_count(Mention, status=Mention.Status.SUGGESTED),
    )
    return queryset.annotate(
        translation_progress=Case(
            When(segments_failed__gt=0, then=Value(TranslationProgress.FAILED)),
            When(segments_waiting__gt=0, then=Value(TranslationProgress.WAITING)),
            When(segments_total__gt=0, then=Value(TranslationProgress.DONE)),
            default=Value(TranslationProgress.NONE),
        ),
        recognition_progress=Case(
            When(mentions_to_review__gt=0, then=Value(RecognitionProgress.TO_REVIEW)),
            When(mentions_total__gt=0, then=Value(RecognitionProgress.REVIEWED)),
            default=Value(RecognitionProgress.NONE),
        ),
    )


def translation_progress_text(*, article) -> str:
    """E.g. "8 of 12 segments translated · 2 failed · 2 waiting · 1 reviewed"."""
    total = article.segments_total
    if not total:
        return str(_("not translated: nothing queued"))
    parts = [
        ngettext("%(done)d of %(total)d segment translated", "%(done)d of %(total)d segments translated", total)
        % {"done": article.segments_done, "total": total}
    ]
    if article.segments_failed:
        parts.append(_("%(count)d failed") % {"count": article.segments_failed})
    if article.segments_waiting:
        parts.append(_("%(count)d waiting") % {"count": article.segments_waiting})
    if article.segments_reviewed:
        parts.append(_("%(count)d reviewed") % {"count": article.segments_reviewed})
    return " · ".join(str(part) for part in parts)


def recognition_progress_text(*, article) -> str:
    """E.g. "40 entities · 12 to review"."""
    total = article.mentions_total
    if not total:
        return str(_("no entities found"))
    found = ngettext("%(count)d entity", "%(count)d entities", total) % {"count": total}
    if article.mentions_to_review:
        return f"{found} · " + str(_("%(count)d to review") % {"count": article.mentions_to_review})
    return f"{found} · " + str(_("all reviewed"))
