"""Editors teach the model: how much their corrections of some articles help on others.

    .venv/bin/python bench/editor_learning.py [--iterations N] [--weight W]

Articles nobody trained on are made from the held-out parts of ANERcorp
(each block of 50 sentences an article, a sentence a paragraph) and AQMAR
(each held-out article), imported into a throwaway database and recognised
with the committed model's training without them (`train_ner
--held-out-aside`: the committed model trains on the held-out parts too).
Half of each corpus's articles
are "corrected": every machine mention that matches the gold is confirmed,
every other is rejected, and every gold name missing is added, as an editor
would in the admin (the services the admin calls). Then `train_ner` retrains
with those decisions (the same corpora, held-out parts aside, plus the
editors' sentences) into a throwaway NER_TRAINED_DIR, and the other
half, the articles nobody corrected, are recognised again and scored
before and after (exact spans, a name with or without its proclitic the
same; micro over PERS/LOC/ORG). Takes as long as two `train_ner` runs and
changes nothing outside its temporary folder.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import django_on_temp_db  # noqa: E402


def articles_of(corpora):
    """(corpus, title, sentences) for each held-out article of ANERcorp and AQMAR, in order."""
    found = []
    for name in ("anercorp", "aqmar"):
        documents: dict[int, list] = {}
        for sentence in corpora[name]:
            if sentence.held_out:
                documents.setdefault(sentence.document, []).append(sentence)
        for number, (_, sentences) in enumerate(sorted(documents.items())):
            found.append((name, f"{name} {number + 1}", sentences))
    return found


def import_all(articles):
    from articles.importing import ArticleRecord, article_import

    imported = []
    for corpus, title, sentences in articles:
        record = ArticleRecord(title=f"مقال {title}", paragraphs=[s.text for s in sentences])
        article = article_import(record=record, source_id=f"bench:{title}").article
        imported.append((corpus, article, sentences))
    return imported


def recognise(imported):
    from articles.entities.recognition import article_recognize, recognizers_available

    recognizers = recognizers_available()
    for _, article, _ in imported:
        article_recognize(article=article, model=recognizers.model, shipped=recognizers.shipped)
    return recognizers.shipped


def score(imported, label):
    from arabic.ner.evaluation import Scores, spans_score
    from articles.models import Mention

    by_corpus: dict[str, Scores] = {}
    for corpus, article, sentences in imported:
        scores = by_corpus.setdefault(corpus, Scores(name=f"{corpus}, {label}"))
        paragraphs = {p.position: p for p in article.paragraphs.all()}
        shown = Mention.objects.shown().filter(article=article, kind="paragraph").select_related("paragraph")
        found: dict[int, list] = {}
        for mention in shown:
            found.setdefault(mention.paragraph.position, []).append((mention.start, mention.end, mention.label))
        for position, sentence in enumerate(sentences, 1):
            scores.sentences += 1
            spans_score(scores, paragraphs[position].text, sentence.spans, found.get(position, []))
    return by_corpus


def correct(imported, user):
    """Decide every mention of these articles as an editor who knows the gold would."""
    from arabic.ner.evaluation import same_name
    from articles.entities.services import mention_add, mention_confirm, mention_reject
    from articles.models import Mention

    decisions = 0
    for _, article, sentences in imported:
        paragraphs = {p.position: p for p in article.paragraphs.all()}
        for position, sentence in enumerate(sentences, 1):
            paragraph = paragraphs[position]
            gold = list(sentence.spans)
            for mention in Mention.objects.filter(paragraph=paragraph):
                match = next(
                    (g for g in gold if same_name(paragraph.text, g, (mention.start, mention.end, mention.label))), None
                )
                if match is None:
                    mention_reject(mention=mention, user=user)
                else:
                    gold.remove(match)
                    mention_confirm(mention=mention, user=user)
                decisions += 1
            for start, end, label in gold:
                mention_add(paragraph=paragraph, start=start, end=end, label=label, user=user)
                decisions += 1
    return decisions


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, help="L-BFGS iterations of the retraining (default: the model's)")
    parser.add_argument("--weight", type=int, help="times each editor's sentence is trained on (default: the model's)")
    args = parser.parse_args()
    folder = django_on_temp_db()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from arabic.ner import corpora as corpora_module
    from arabic.ner.corpora import read_corpora

    settings.NER_TRAINED_DIR = folder / "trained"
    if args.weight is not None:
        corpora_module.EDITOR_WEIGHT = args.weight
    call_command("load_gazetteer", verbosity=0)
    articles = articles_of(read_corpora(Path(settings.NER_DATA_DIR), ("newsfane", "anercorp", "aqmar")))
    imported = import_all(articles)
    corrected = [item for index, item in enumerate(imported) if index % 2 == 0]
    evaluated = [item for index, item in enumerate(imported) if index % 2 == 1]
    print(
        f"{len(imported)} articles from the held-out parts: {len(corrected)} corrected "
        f"({sum(len(s) for *_, s in corrected)} sentences), {len(evaluated)} evaluated "
        f"({sum(len(s) for *_, s in evaluated)} sentences)"
    )
    started = time.perf_counter()
    call_command("train_ner", held_out_aside=True, editor_data=False, iterations=args.iterations, verbosity=0)
    print(f"Trained without the held-out parts in {time.perf_counter() - started:.0f} s")
    base = recognise(imported)
    print(f"Model before: {base.path}")
    before = score(evaluated, "before")
    user = get_user_model().objects.create_user(username="bench-editor", is_staff=True)
    decisions = correct(corrected, user)
    print(f"Editors' decisions simulated from gold: {decisions}")
    started = time.perf_counter()
    call_command("train_ner", held_out_aside=True, iterations=args.iterations, verbosity=1)
    print(f"Retrained in {time.perf_counter() - started:.0f} s")
    after_model = recognise(evaluated)
    print(f"Model after: {after_model.path}")
    after = score(evaluated, "after")
    for corpus in before:
        print("\n".join(["", *before[corpus].table(), *after[corpus].table()]))
        errors = [100 - scores.row(("PERS", "LOC", "ORG"))[2] for scores in (before[corpus], after[corpus])]
        print(f"  {corpus}: error (100 - micro F1) {errors[0]:.1f} → {errors[1]:.1f}")


if __name__ == "__main__":
    main()
