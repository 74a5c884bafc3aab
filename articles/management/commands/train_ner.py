from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from arabic.ner import store
from arabic.ner.corpora import (
    NAMES,
    TRAINED,
    corpus_path,
    decided_sentences,
    newsfane_known,
    read_corpora,
    training_part,
)
from arabic.ner.corpus import CorpusError, corpus_sentences
from arabic.ner.crf import crf_train
from arabic.ner.pipeline import gazetteer_candidates, seed_gazetteer


class Command(BaseCommand):
    help = (
        "Train the shipped NER model (a CRF) on the shared corpora (ANERcorp and AQMAR by default, their "
        "held-out parts too unless --held-out-aside: the settings were chosen without them) and on editors' "
        "decisions (confirmed, rejected and added mentions), with the gazetteer as `load_gazetteer` seeds it. "
        "Writes a new model under NER_TRAINED_DIR, which every process then uses, never over the committed "
        "one; `--undo` goes back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--corpus",
            type=Path,
            help="train on this one annotated corpus instead (NewsFANE's file or folder, or token SPACE tag "
            "lines), leaving out its held-out blocks",
        )
        parser.add_argument(
            "--corpora",
            default=",".join(TRAINED),
            help=f"which shared corpora under NER_DATA_DIR ({settings.NER_DATA_DIR}) to train on, among "
            f"{', '.join(NAMES)} (default {','.join(TRAINED)}, chosen by cross-validation)",
        )
        parser.add_argument(
            "--no-editor-data",
            action="store_false",
            dest="editor_data",
            help="leave editors' decisions out (by default they are trained on when there are any)",
        )
        parser.add_argument(
            "--held-out-aside",
            action="store_true",
            help="leave the shared corpora's held-out parts out, as the model whose held-out figures "
            "docs/entities.md reports was trained (by default they are trained on, as for the committed model)",
        )
        parser.add_argument("--output", type=Path, help="model file (default: a new folder under NER_TRAINED_DIR)")
        parser.add_argument(
            "--ship",
            action="store_true",
            help=f"rebuild the committed model ({settings.CRF_MODEL_PATH}) from the corpora alone, for a commit",
        )
        parser.add_argument("--iterations", type=int, help="L-BFGS iterations (default: the shipped model's)")
        parser.add_argument(
            "--undo",
            action="store_true",
            help="put the newest retrained model aside: every process goes back to the one before, or the committed",
        )
        parser.add_argument(
            "--recognize",
            action="store_true",
            help="then queue every article's recognition with the model now in use, for the worker (articles keep "
            "the suggestions they were recognised with until then; editors' decisions are always kept)",
        )

    def handle(
        self,
        *,
        corpus,
        corpora,
        editor_data,
        output,
        ship,
        iterations,
        undo,
        held_out_aside=False,
        recognize=False,
        **options,
    ):
        if recognize and (ship or output):
            raise CommandError("--recognize reads articles with the model in use: retrain into NER_TRAINED_DIR")
        if undo:
            self.undo()
            return self.articles_follow(recognize)
        committed = Path(settings.CRF_MODEL_PATH).resolve()
        if ship:
            if output:
                raise CommandError("--ship writes the committed model: give no --output")
            if held_out_aside:
                raise CommandError("the committed model trains on the held-out parts too: give no --held-out-aside")
            output, editor_data = committed, False
        elif output is not None and Path(output).resolve() == committed:
            raise CommandError(f"{output} is the committed model: retrain into NER_TRAINED_DIR, or use --ship")
        training, described, known = self.corpus_part(corpus, corpora, held_out_aside)
        decisions = 0
        if editor_data:
            from articles.entities.selectors import editor_training_documents

            documents, decisions, encyclopedic, articles = editor_training_documents()
            if None in encyclopedic:
                encyclopedic = self.kinds_judged(encyclopedic, articles)
            if documents:
                start = max(s.index for s in training) + 1 if training else 0
                extra = decided_sentences(documents, start_index=start, known=known, encyclopedic=encyclopedic)
                training += extra
                described["editor"] = len({s.text for s in extra})
        if not training:
            raise CommandError("nothing to train on: the corpora hold no sentence outside their held-out parts")
        gazetteer, types = seed_gazetteer()

        def gazetteer_spans(text):
            return [(c.start, c.end, c.label) for c in gazetteer_candidates(text, gazetteer, types)]

        output = Path(output) if output else store.new_model_path(settings.NER_TRAINED_DIR)
        sources = ", ".join(f"{name} {count}" for name, count in described.items())
        self.stdout.write(
            f"Training on {len(training)} sentences ({sources}; {decisions} editor decision(s)) into {output}…"
        )
        summary = crf_train(
            sentences=training,
            gazetteer_spans=gazetteer_spans,
            output=output,
            max_iterations=iterations,
            # NewsFANE's clitic-free forms, when it is read but not trained on (its own are in its sentences).
            known=known if corpus is None else None,
        )
        store.meta_write(output, store.description(sentences=described, editor_decisions=decisions))
        self.stdout.write(
            self.style.SUCCESS(
                f"Model written to {output}: {summary.words:,} words, {summary.features:,} features, "
                f"labels {', '.join(summary.labels)}; {summary.size_bytes / 1e6:.1f} MB; {summary.seconds:.0f} s"
            )
        )
        if output.resolve() == store.active_model(Path(settings.NER_TRAINED_DIR), committed).resolve():
            self.articles_follow(recognize)

    def articles_follow(self, recognize: bool):
        """Queue every article's recognition with the model now in use, or say that they keep their
        suggestions until they are recognised again."""
        from django.db import transaction

        from articles.entities.services import recognition_queue
        from articles.models import Article

        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        if not ids:
            return
        if recognize:
            with transaction.atomic():
                recognition_queue(article_ids=ids)
            self.stdout.write(f"Queued the recognition of {len(ids)} article(s) with it; editors' decisions are kept.")
        else:
            self.stdout.write(
                f"The {len(ids)} article(s) keep the suggestions they were recognised with until they are "
                "recognised again: train_ner --recognize, or manage.py recognize_entities --all, reads them with "
                "the model now in use (editors' decisions are kept)."
            )

    def corpus_part(self, corpus, corpora, held_out_aside: bool):
        """The corpus sentences to train on, their count by corpus, and NewsFANE's clitic-free forms.

        One corpus of one's own always keeps its held-out blocks aside, for `evaluate_ner --corpus`."""
        try:
            if corpus is not None:
                sentences = corpus_sentences(corpus)
                training = [s for s in sentences if not s.held_out]
                return training, {str(corpus): len(training)}, newsfane_known(sentences)
            names = tuple(name.strip() for name in corpora.split(",") if name.strip())
            unknown = sorted(set(names) - set(NAMES))
            if unknown:
                raise CommandError(f"unknown corpora {', '.join(unknown)}: choose among {', '.join(NAMES)}")
            # Every corpus present is read, so that no training sentence shares text with a held-out one.
            data = Path(settings.NER_DATA_DIR)
            present = tuple(name for name in NAMES if name in names or corpus_path(data, name).exists())
            read = read_corpora(data, present)
        except (CorpusError, OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read the corpus: {error}") from None
        training, _ = training_part(read, held_out_too=not held_out_aside)
        training = [s for s in training if s.corpus in names]
        described = {name: sum(s.corpus == name for s in training) for name in names}
        return training, described, newsfane_known(read["newsfane"]) if "newsfane" in read else None

    def kinds_judged(self, encyclopedic: list, articles: list[int]) -> list[bool]:
        """Each article's kind, those recognised before it was kept judged now by the model in use
        (and stored); news when no model can judge."""
        from articles.entities.recognition import article_read_as_encyclopedia
        from articles.models import Article

        unknown = Article.objects.in_bulk([pk for pk, kind in zip(articles, encyclopedic, strict=True) if kind is None])
        return [
            bool(kind if kind is not None else article_read_as_encyclopedia(article=unknown[pk]))
            for pk, kind in zip(articles, encyclopedic, strict=True)
        ]

    def undo(self):
        undone = store.undo(Path(settings.NER_TRAINED_DIR))
        if undone is None:
            raise CommandError(f"no retrained model in {settings.NER_TRAINED_DIR}: the committed model is in use")
        now = store.active_model(Path(settings.NER_TRAINED_DIR), Path(settings.CRF_MODEL_PATH))
        self.stdout.write(
            self.style.SUCCESS(
                f"Put {undone.parent.name} aside (in {Path(settings.NER_TRAINED_DIR) / store.UNDONE}); "
                f"in use now: {now}"
            )
        )
