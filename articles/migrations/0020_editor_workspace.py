"""Issue 23: every import path makes drafts unless told to publish (the model's default
follows, as the admin's "Add article" does), and so does an "Add from URL" row.

A default lives in Python, not in the database: the state changes, the tables do not
(SQLite would otherwise rebuild the article table, and its triggers with it).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_article_title_key"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="article",
                    name="status",
                    field=models.CharField(
                        choices=[("draft", "Draft"), ("published", "Published")],
                        default="draft",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                migrations.AlterField(
                    model_name="urlimport",
                    name="draft",
                    field=models.BooleanField(default=True, verbose_name="new article as a draft"),
                ),
            ],
        ),
    ]
