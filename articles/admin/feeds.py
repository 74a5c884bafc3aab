"""Admin for feeds: their status at a glance, "fetch now", and the articles each one brought in."""

from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..importing.feeds import feed_fetch_queue
from ..models import Feed, FeedEntry
from .search import BoundedSearchMixin


class FeedEntryInline(admin.TabularInline):
    model = FeedEntry
    extra = 0
    can_delete = False
    fields = ["title", "link", "status", "article_link", "error", "failures", "first_seen"]
    readonly_fields = fields
    ordering = ["-first_seen", "-id"]
    verbose_name_plural = _("entries and the articles imported from them")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("page"))
    def link(self, obj):
        return (
            format_html('<a href="{}" dir="ltr" rel="noreferrer noopener">{}</a>', obj.url, obj.url) if obj.url else "—"
        )

    @admin.display(description=_("article"))
    def article_link(self, obj):
        if obj.article_id is None:
            return "—"
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}" lang="ar" dir="rtl">{}</a>', url, obj.article.title)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")


@admin.register(Feed)
class FeedAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["feed", "active", "publish", "last_fetched_at", "status", "entry_counts"]
    list_display_links = ["feed"]
    search_fields = ["title", "url"]
    fields = [
        "url",
        "title",
        "publish",
        "active",
        "last_fetched_at",
        "last_status",
        "last_error",
        "last_left_out",
        "etag",
        "last_modified",
    ]
    readonly_fields = ["last_fetched_at", "last_status", "last_error", "last_left_out", "etag", "last_modified"]
    inlines = [FeedEntryInline]
    actions = ["fetch_now"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                imported_count=Count("entries", filter=Q(entries__status=FeedEntry.Status.IMPORTED)),
                failed_count=Count("entries", filter=Q(entries__status=FeedEntry.Status.FAILED)),
                given_up_count=Count("entries", filter=Q(entries__status=FeedEntry.Status.GIVEN_UP)),
            )
        )

    @admin.display(description=_("feed"), ordering="title")
    def feed(self, obj):
        if not obj.title:
            return format_html('<bdi dir="ltr">{}</bdi>', obj.url)
        return format_html(
            '<span dir="auto">{}</span><div class="help"><bdi dir="ltr">{}</bdi></div>', obj.title, obj.url
        )

    @admin.display(description=_("last status"), ordering="last_status")
    def status(self, obj):
        failing = obj.last_status in (Feed.Status.FAILED, Feed.Status.PARTIAL)
        left_out = ""
        if obj.last_left_out:
            left_out = format_html(
                '<div class="help">{}</div>',
                ngettext(
                    "%(count)d older entry left out: only the newest %(limit)d are read.",
                    "%(count)d older entries left out: only the newest %(limit)d are read.",
                    obj.last_left_out,
                )
                % {"count": obj.last_left_out, "limit": settings.FEED_MAX_ENTRIES},
            )
        if not failing:
            return format_html("{}{}", obj.get_last_status_display(), left_out)
        return format_html(
            '<strong class="errors">{}</strong><div class="help feed-error" dir="ltr">{}</div>{}',
            obj.get_last_status_display(),
            obj.last_error[:200],
            left_out,
        )

    @admin.display(description=_("entries: imported / failed / given up"), ordering="imported_count")
    def entry_counts(self, obj):
        return format_html(
            '{} / <span class="{}">{}</span> / <span class="{}">{}</span>',
            obj.imported_count,
            "errors" if obj.failed_count else "",
            obj.failed_count,
            "errors" if obj.given_up_count else "",
            obj.given_up_count,
        )

    @admin.action(description=_("Fetch selected feeds now"), permissions=["change"])
    def fetch_now(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        feed_fetch_queue(feed_ids=ids)
        self.message_user(
            request,
            ngettext(
                "%d feed queued for fetching; its status updates when the task worker is done.",
                "%d feeds queued for fetching; their status updates when the task worker is done.",
                len(ids),
            )
            % len(ids),
            messages.SUCCESS,
        )
