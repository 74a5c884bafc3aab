"""The admin's article change form filled in as it stands, for tests that post an edit through it."""

from django.urls import reverse


def article_change_data(client, article):
    """The article's admin change form, filled in as it stands, inlines included."""
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data["tags"] = ", ".join(article.tags)  # the tag widget: one line, comma separated
    data["published"] = article.published.isoformat() if article.published else ""
    paragraphs = list(article.paragraphs.order_by("position"))
    related = list(article.related_stories.order_by("position"))
    data.update(
        {
            "paragraphs-TOTAL_FORMS": len(paragraphs),
            "paragraphs-INITIAL_FORMS": len(paragraphs),
            "related_stories-TOTAL_FORMS": len(related),
            "related_stories-INITIAL_FORMS": len(related),
        }
    )
    for index, paragraph in enumerate(paragraphs):
        data[f"paragraphs-{index}-id"] = paragraph.pk
        data[f"paragraphs-{index}-article"] = article.pk
        data[f"paragraphs-{index}-position"] = paragraph.position
        data[f"paragraphs-{index}-text"] = paragraph.text
    for index, story in enumerate(related):
        for name in ("position", "title", "caption", "section"):
            data[f"related_stories-{index}-{name}"] = getattr(story, name)
        data[f"related_stories-{index}-id"] = story.pk
        data[f"related_stories-{index}-article"] = article.pk
    return data
