"""The whole path on PostgreSQL (`DATABASE_URL`), on a real server this test starts.

Migrations (with their partial unique constraints and check constraints),
an import, the gazetteer, recognition and the article page and API."""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(url, *args):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "newsreader.settings"}
    env["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    env["TRANSLATION_PROVIDER"] = "none"
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_reader_runs_on_postgresql(postgres_url):
    started = time.monotonic()
    for args in (
        ["migrate", "--noinput"],
        ["import_articles", "--publish", "seeds/"],
        ["load_gazetteer"],
        ["recognize_entities", "--all"],
    ):
        result = manage(postgres_url, *args)
        assert result.returncode == 0, result.stderr + result.stdout
    # Re-importing is idempotent there too.
    assert "1 unchanged" in manage(postgres_url, "import_articles", "--publish", "seeds/").stdout
    script = (
        "from django.test import Client\n"
        "client = Client()\n"
        "page = client.get('/articles/rais-al-astakhbarat-al-tarkaya-yaltaqi-wafd-hamas/')\n"
        "data = client.get('/api/articles/rais-al-astakhbarat-al-tarkaya-yaltaqi-wafd-hamas/').json()\n"
        "from django.db import connection\n"
        "print(connection.vendor, page.status_code, len(data['paragraphs']),"
        " sorted({e['text'] for p in data['paragraphs'] for e in p['entities']} & {'إسطنبول', 'تركيا', 'قطر'}))\n"
    )
    result = manage(postgres_url, "shell", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "postgresql 200 4 ['إسطنبول', 'تركيا', 'قطر']"
    assert time.monotonic() - started < 300


def test_search_and_fresh_cached_pages_on_postgresql(postgres_url):
    """PostgreSQL's own full-text index and page-version trigger (deferred, bumped at commit)."""
    assert manage(postgres_url, "migrate", "--noinput").returncode == 0
    assert manage(postgres_url, "import_articles", "--publish", "seeds/").returncode == 0
    script = (
        "from django.test import Client\n"
        "from django.db import connection\n"
        "from articles.caching import page_version\n"
        "from articles.models import Article\n"
        "client = Client()\n"
        "from articles.selectors import articles_for_listing\n"
        "def titles(q):\n"
        "    response = client.get('/', {'q': q})\n"
        "    assert response.status_code == 200, (q, response.status_code)\n"
        "    return [a.source_id for a in articles_for_listing(query=q)]\n"
        "from articles.models import Entity, Mention\n"
        "seed = Article.objects.get(source_id='000_f43ac9fcd8114102')\n"
        "place = Entity.objects.create(name_ar='مكان', type='LOC')\n"
        "paragraph = seed.paragraphs.order_by('position').first()\n"
        "Mention.objects.create(article=seed, paragraph=paragraph, start=0, end=2, text=paragraph.text[:2],\n"
        "    label='LOC', source='editor', entity=place, status='confirmed')\n"
        "def kept(): return Entity.objects.get(pk=place.pk).article_count\n"
        "published = kept()\n"
        "Article.objects.filter(pk=seed.pk).update(status='draft'); draft = kept()\n"
        "Article.objects.filter(pk=seed.pk).update(status='published'); stale = Entity.objects.get(pk=place.pk)\n"
        "Mention.objects.filter(entity=place).update(status='rejected'); stale.save()\n"
        "print('counts', published, draft, stale.article_count, kept())\n"
        "Mention.objects.filter(entity=place).delete()\n"
        "print('found', titles('اسطنبول'), titles('بالاستخبارات'), titles('حَماس'), titles('الخرطوم'))\n"
        "print('hostile', titles('\\x00'), titles('غزة\\x00'), titles(' '.join(['كلمة'] * 2000)), titles('\"&|!:*'))\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute(\"SELECT indexdef FROM pg_indexes WHERE indexname = 'articles_article_search_vector'\")\n"
        "    gin = 'gin' in cursor.fetchone()[0].lower()\n"
        "    cursor.execute(\"SELECT attgenerated FROM pg_attribute WHERE attrelid = 'articles_article'::regclass \"\n"
        "        \"AND attname = 'search_vector'\")\n"
        "    generated = cursor.fetchone()[0] == 's'\n"
        "Article.objects.filter(pk=seed.pk).update(search_text='zebrafish')\n"
        "print('index', gin, generated, titles('zebrafish') == [seed.source_id], titles('اسطنبول'))\n"
        "url = Article.objects.get(source_id='000_f43ac9fcd8114102').get_absolute_url()\n"
        "client.get(url); print('cache', client.get(url)['X-Page-Cache'])\n"
        "before = page_version()\n"
        "Article.objects.filter(source_id='000_f43ac9fcd8114102').update(title='عنوان جديد')\n"
        "page = client.get(url)\n"
        "shown = 'عنوان جديد' in page.content.decode()\n"
        "print('fresh', page_version() != before, page.get('X-Page-Cache'), shown)\n"
        "from django.db import transaction\n"
        "from articles.models import Paragraph\n"
        "before = page_version()\n"
        "with transaction.atomic():\n"
        "    Article.objects.update(title='عنوان ثالث')\n"
        "    Paragraph.objects.update(text='نص')\n"
        "    print('in transaction', page_version() == before)\n"
        "print('at commit', page_version() != before)\n"
    )
    env_cache = {"CACHE_URL": "locmem://"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env={
            **os.environ,
            **env_cache,
            "DATABASE_URL": postgres_url,
            "DJANGO_DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "newsreader.settings",
            "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "TRANSLATION_PROVIDER": "none",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    seed = "000_f43ac9fcd8114102"
    assert lines[-2:] == ["in transaction True", "at commit True"]
    lines = lines[:-2]
    assert lines[-5] == f"found ['{seed}'] ['{seed}'] ['{seed}'] []"
    # NUL alone is no query (the list); NUL after a word is dropped; 2,000 words and operators: no match, no error.
    assert lines[-4] == f"hostile ['{seed}'] ['{seed}'] [] []"
    # The tsvector is a generated column under a GIN index: a changed document is searched at once.
    assert lines[-3:] == ["index True True True []", "cache hit", "fresh True miss True"]
    # Entity article counts kept by PostgreSQL's triggers: publish state, decisions, a stale save.
    assert "counts 1 0 1 0" in lines  # the stale copy said 1; saving it kept the true 0


def test_english_words_are_stemmed_on_postgresql_as_on_sqlite_even_in_a_database_made_before(postgres_url):
    """`talk` finds `talks` (SQLite's porter tokenizer does); a database whose column was made with the
    `simple` configuration of earlier versions, which did not stem, gets the stemming one at its next migrate."""
    assert manage(postgres_url, "migrate", "--noinput").returncode == 0
    assert manage(postgres_url, "import_articles", "--publish", "seeds/").returncode == 0
    older = (
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('DROP INDEX articles_article_search_vector')\n"
        "    cursor.execute('ALTER TABLE articles_article DROP COLUMN search_vector')\n"
        '    cursor.execute("ALTER TABLE articles_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "\n'
        "        \"(to_tsvector('simple'::regconfig, COALESCE(search_text, ''))) STORED\")\n"
        "from articles.models import Article\n"
        "Article.objects.update(search_text='محادثات the ceasefire talks resumed')\n"
    )
    found = (
        "from articles.models import Article\n"
        "from articles.selectors import articles_for_listing\n"
        "seed = Article.objects.get(source_id='000_f43ac9fcd8114102').pk\n"
        "print([seed in articles_for_listing(query=q).ids for q in ('talk', 'ceasefire talks', 'محادثات', 'resume')])\n"
    )
    assert manage(postgres_url, "shell", "-c", older).returncode == 0
    result = manage(postgres_url, "shell", "-c", found)
    # The old column holds words unstemmed: English queries, stemmed now, miss them until the migrate.
    assert result.stdout.strip().splitlines()[-1] == "[False, False, True, False]", result.stderr
    assert manage(postgres_url, "migrate", "--noinput").returncode == 0
    result = manage(postgres_url, "shell", "-c", found)
    assert result.stdout.strip().splitlines()[-1] == "[True, True, True, True]", result.stderr


def test_a_search_only_of_words_too_common_to_index_says_so_on_postgresql(postgres_url):
    """PostgreSQL's English configuration indexes no stop word: a search made only of them finds
    nothing there, and the page says why instead of "no article matches"."""
    assert manage(postgres_url, "migrate", "--noinput").returncode == 0
    assert manage(postgres_url, "import_articles", "--publish", "seeds/").returncode == 0
    script = (
        "from django.test import Client\n"
        "client = Client()\n"
        "def page(q, language='en'):\n"
        "    return client.get('/', {'q': q}, HTTP_ACCEPT_LANGUAGE=language).content.decode()\n"
        "queries = ('the', 'of the', 'the zebrafish')\n"
        "print([('too common' in page(q), 'No article matches' in page(q)) for q in queries],\n"
        "      'أشيع من أن يُبحث بها' in page('the', 'ar'))\n"
    )
    result = manage(postgres_url, "shell", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[(True, False), (True, False), (False, True)] True"
