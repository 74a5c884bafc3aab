import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from arabic.ner import corpus as corpus_module
from arabic.ner.corpora import NAMES, TRAINED, read_corpora
from arabic.ner.evaluation import corpora_fold_score, fold_score, recognizers_score
from articles.entities.recognition import GazetteerEmpty, current_gazetteer, recognizers_available


class Command(BaseCommand):
    help = (
        "Score the active recognisers on the held-out part of each shared corpus (NewsFANE, ANERcorp, AQMAR, "
        "Wojood), with a model trained without them (`train_ner --held-out-aside`), or on all of another "
        "annotated corpus but for the sentences the shipped model trained on: exact span and type (a name "
        "with or without its proclitic the same), P/R/F1 per type, micro over PERS/LOC/ORG, MISC apart; the "
        "gazetteer alone is scored beside them as the baseline."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--corpus",
            type=Path,
            help="score this one annotated corpus instead: NewsFANE's folder, a file of token TAB tag or "
            "token SPACE tag lines (BIO, IO, IOBES or BILOU; CoNLL's columns and -DOCSTART- documents; nested tags "
            "read outermost), or a folder of such files, one document each; NewsFANE's classes or "
            "PERS/LOC/ORG/MISC and their usual names (PER, GPE, ORGANIZATION…)",
        )
        parser.add_argument(
            "--corpora",
            default=",".join(NAMES),
            help=f"which shared corpora under NER_DATA_DIR ({settings.NER_DATA_DIR}) to score (default all)",
        )
        parser.add_argument(
            "--all",
            action="store_true",
            dest="every_sentence",
            help="with --corpus: score every sentence, even those the shipped model trained on (by default: the "
            "held-out part of its own corpus, or all of another corpus but for the sentences it trained on)",
        )
        parser.add_argument(
            "--cv-fold",
            type=int,
            choices=range(corpus_module.HELD_OUT_EVERY),
            help="instead: train on the training part but this fold (0–3) and score that fold, to choose "
            "settings without the held-out part (takes minutes)",
        )

    def handle(self, *, corpus, corpora, cv_fold, every_sentence=False, **options):
        if corpus is None:
            return self.shared(corpora, cv_fold)
        try:
            documents = corpus_module.read_documents(corpus)
            tokens = [sentence for document in documents for sentence in document]
            sentences = corpus_module.corpus_sentences(tokens=tokens)
            if len(documents) > 1:  # the corpus marks its documents: read each whole, as recognition reads an article
                numbers = (number for number, document in enumerate(documents) for _ in document)
                for sentence, number in zip(sentences, numbers, strict=True):
                    sentence.document = number
            unknown = corpus_module.unknown_classes(tokens)
        except (corpus_module.CorpusError, OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read the corpus: {error}") from None
        if unknown:
            listed = ", ".join(f"{kind} ({count})" for kind, count in unknown.items())
            self.stderr.write(f"Classes that are none of PERS/LOC/ORG/MISC, scored as no entity: {listed}")
        if cv_fold is not None:
            with tempfile.TemporaryDirectory() as folder:
                try:
                    folds = fold_score(sentences=sentences, fold=cv_fold, folder=folder)
                except ValueError as error:
                    raise CommandError(str(error)) from None
            for scores in folds:
                self.stdout.write("\n".join(["", *scores.table()]))
            return
        recognizers = self.recognizers()
        sentences, part = self.scored_part(sentences, recognizers.shipped, every_sentence)
        self.score(f"Scored: {part}", sentences, recognizers)

    def shared(self, corpora, cv_fold):
        names = tuple(name.strip() for name in corpora.split(",") if name.strip())
        unknown = sorted(set(names) - set(NAMES))
        if unknown:
            raise CommandError(f"unknown corpora {', '.join(unknown)}: choose among {', '.join(NAMES)}")
        try:
            read = read_corpora(Path(settings.NER_DATA_DIR), names)
        except (corpus_module.CorpusError, OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read the corpus: {error}") from None
        if cv_fold is not None:
            if cv_fold == corpus_module.HELD_OUT_FOLD:
                raise CommandError(f"fold {cv_fold} is the held-out part: choose 0–{cv_fold - 1}")
            with tempfile.TemporaryDirectory() as folder:
                # Trained as the shipped model is (its corpora), every corpus read scored.
                results = corpora_fold_score(corpora=read, fold=cv_fold, folder=folder, train_on=TRAINED)
            for runs in results.values():
                for scores in runs:
                    self.stdout.write("\n".join(["", *scores.table()]))
            return
        recognizers = self.recognizers()
        trained = recognizers.shipped.trained if recognizers.shipped is not None else frozenset()
        held_out = {name: [s for s in sentences if s.held_out] for name, sentences in read.items()}
        if any(corpus_module.fingerprint(s.text) in trained for part in held_out.values() for s in part):
            # News repeats its stories across corpora: leaving out only the sentences it trained on
            # would still score memories.
            raise CommandError(
                f"the model in use ({recognizers.shipped.path}) trained on the held-out parts too, as the "
                "committed model does once its settings are chosen: score the same training without them "
                "instead, retrained into a throwaway folder: NER_TRAINED_DIR=/tmp/recipe manage.py train_ner "
                "--held-out-aside, then NER_TRAINED_DIR=/tmp/recipe manage.py evaluate_ner"
            )
        for name, part in held_out.items():
            self.score(f"\n== {name}: its held-out part ({len(part)} sentences)", part, recognizers)

    def recognizers(self):
        gazetteer, types = current_gazetteer()
        if not types:
            raise CommandError(str(GazetteerEmpty()))
        recognizers = recognizers_available()
        self.stdout.write(f"Recognisers: {', '.join(recognizers.names)}")
        for note in recognizers.notes:
            self.stdout.write(note)
        return recognizers

    def score(self, heading, sentences, recognizers):
        gazetteer, types = current_gazetteer()
        self.stdout.write(heading)
        runs = [("gazetteer only (baseline)", {})]
        if recognizers.model is not None or recognizers.shipped is not None:
            runs.append((", ".join(recognizers.names), {"model": recognizers.model, "shipped": recognizers.shipped}))
        for name, models in runs:
            scores = recognizers_score(name=name, sentences=sentences, gazetteer=gazetteer, types=types, **models)
            self.stdout.write("\n".join(["", *scores.table()]))

    @staticmethod
    def scored_part(sentences, shipped, every_sentence: bool):
        """The sentences to score, and how to say which.

        The shipped model keeps the fingerprints of its training sentences: a
        corpus mostly new to it (another corpus than its own) is scored whole,
        but for any sentence it trained on; its own corpus on the held-out part.
        """
        if every_sentence:
            if not sentences:
                raise CommandError("the corpus holds no sentence")
            return sentences, f"every sentence ({len(sentences)})"
        trained = shipped.trained if shipped is not None else frozenset()
        unseen = [s for s in sentences if corpus_module.fingerprint(s.text) not in trained]
        if trained and unseen and len(unseen) * 2 > len(sentences):
            left = len(sentences) - len(unseen)
            return unseen, (
                f"the {len(unseen)} sentences the shipped model never trained on (another corpus than its own; "
                f"{left} it trained on left out)"
            )
        held_out = [s for s in sentences if s.held_out]
        if not held_out:
            raise CommandError(
                "the corpus has no held-out sentence (it needs more than 200 sentences); "
                "score a corpus the model never saw with --all"
            )
        # Read by the model: a held-out sentence it trained on that the corpus does not repeat in its
        # training blocks (a corpus may say the same sentence twice).
        repeated = {corpus_module.fingerprint(s.text) for s in sentences if not s.held_out}
        if any(corpus_module.fingerprint(s.text) in trained - repeated for s in held_out):
            raise CommandError(
                "the model in use trained on this corpus's held-out part (the committed model does, once its "
                "settings are chosen): score a model trained without it (train_ner --held-out-aside, or "
                "train_ner --corpus) in a throwaway NER_TRAINED_DIR, or score every sentence with --all"
            )
        return held_out, f"the held-out part, every fifth block of 50 sentences ({len(held_out)})"
