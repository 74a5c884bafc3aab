from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from arabic.ner.corpus import CorpusError, corpus_sentences
from arabic.ner.crf import crf_train
from arabic.ner.pipeline import gazetteer_candidates, seed_gazetteer


class Command(BaseCommand):
    help = (
        "Train the shipped NER model (a CRF) on NewsFANE, leaving out the held-out part (every fifth block "
        "of 50 sentences), with the gazetteer as `load_gazetteer` seeds it. Deterministic: the same corpus "
        "gives the same model. Writes the model and its stems file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corpus", type=Path, help=f"NewsFANE folder or file (default {settings.NER_CORPUS_DIR})")
        parser.add_argument("--output", type=Path, help=f"model file (default {settings.CRF_MODEL_PATH})")
        parser.add_argument("--iterations", type=int, help="L-BFGS iterations (default: the shipped model's)")

    def handle(self, *, corpus, output, iterations, **options):
        try:
            sentences = corpus_sentences(corpus or Path(settings.NER_CORPUS_DIR))
        except (CorpusError, OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read the corpus: {error}") from None
        training = [sentence for sentence in sentences if not sentence.held_out]
        if not training:
            raise CommandError("the corpus has no sentence outside the held-out part: nothing to train on")
        gazetteer, types = seed_gazetteer()

        def gazetteer_spans(text):
            return [(c.start, c.end, c.label) for c in gazetteer_candidates(text, gazetteer, types)]

        output = output or Path(settings.CRF_MODEL_PATH)
        self.stdout.write(
            f"Training on {len(training)} sentences ({len(sentences) - len(training)} held out) "
            f"from {corpus or settings.NER_CORPUS_DIR}…"
        )
        summary = crf_train(
            sentences=training, gazetteer_spans=gazetteer_spans, output=output, max_iterations=iterations
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Model written to {output}: {summary.words:,} words, {summary.features:,} features, "
                f"labels {', '.join(summary.labels)}; {summary.size_bytes / 1e6:.1f} MB; {summary.seconds:.0f} s"
            )
        )
