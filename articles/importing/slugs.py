"""Readable slugs: an article's URL says what it is about (its title, romanised,
or else the words of its source URL's path), never a file's hash-like stem.
A slug once given stays reachable: changing it keeps the old one, which
redirects, and no other article may take it."""

from urllib.parse import unquote, urlsplit

from django.db import transaction
from django.utils.text import slugify

from arabic.romanize import romanize

from ..models import Article, ArticleSlug
from .language import arabic_share

SLUG_WORDS = 8
SLUG_MAX = 80


def slug_words(text: str) -> str:
    """ASCII words of `text` (Arabic romanised), at most SLUG_WORDS of them."""
    text = text.replace("-", " ").replace("_", " ")
    if arabic_share(text) >= 0.5:
        text = romanize(text)
    words = slugify(text).split("-")
    slug = "-".join(word for word in words if word)[:SLUG_MAX].strip("-")
    return "-".join(slug.split("-")[:SLUG_WORDS])


def url_words(source: str) -> str:
    parts = urlsplit(source)
    if parts.scheme not in ("http", "https"):
        return ""
    segments = [unquote(segment) for segment in parts.path.split("/") if segment]
    # The last segment that says something in words (not a bare number or an index page).
    for segment in reversed(segments):
        stem = segment.rsplit(".", 1)[0] if "." in segment else segment
        if any(char.isalpha() for char in stem) and stem.lower() not in ("index", "amp", "article"):
            return stem
    return ""


def slug_unique(base: str, *, exclude_pk: int | None = None) -> str:
    """`base`, or `base-2`, `base-3`…: free among current and old slugs (other than this article's)."""
    base = base or "article"
    slug, counter = base, 2
    while (
        Article.objects.filter(slug=slug).exclude(pk=exclude_pk).exists()
        or ArticleSlug.objects.filter(slug=slug).exclude(article_id=exclude_pk).exists()
    ):
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def article_slug_new(*, title: str, source: str = "", source_id: str = "") -> str:
    """The slug of a new article: its title's words (romanised), else its source URL's, else its source id's."""
    base = slug_words(title) or slug_words(url_words(source)) or slugify(source_id)[:SLUG_MAX]
    return slug_unique(base)


@transaction.atomic
def article_slug_change(*, article: Article, slug: str) -> None:
    """Give `article` a new slug; its old one keeps redirecting."""
    old = Article.objects.filter(pk=article.pk).values_list("slug", flat=True).first()
    article.slug = slug
    article.save(update_fields=["slug"])
    article_slug_retired(article=article, old_slug=old)


def article_slug_retired(*, article: Article, old_slug: str | None) -> None:
    """Keep `old_slug` as a way to `article` (a no-op when it is its current slug)."""
    if old_slug and old_slug != article.slug:
        ArticleSlug.objects.update_or_create(slug=old_slug, defaults={"article": article})
    ArticleSlug.objects.filter(slug=article.slug).delete()  # the current slug is not an old one


def article_by_old_slug(*, slug: str) -> Article | None:
    old = ArticleSlug.objects.select_related("article").filter(slug=slug).first()
    return old.article if old else None
