"""Entity benchmarks.

    .venv/bin/python bench/entities.py            # gazetteer scaling, shipped model, camel NER speed
    .venv/bin/python bench/entities.py --skip-ner # gazetteer and shipped model (seconds instead of minutes)

1. Gazetteer matching: the seed article against 1,000 and 100,000 entries,
   and 10x the text. The trie makes the time follow the text, not the gazetteer.
2. The camel-tools NER model: `NERecognizer.predict` (pads to 256 word pieces)
   against `BatchedNER.predict` (batches padded to their longest sentence), on
   a randomly initialised model of AraBERT's size (bert-base: 12 layers, 768
   wide; the real weights need internet), with a check that the labels agree.
3. The shipped model (the CRF in arabic/ner/data): load time, and
   sentences per second on one core over the seed's sentences read as
   articles of 25 sentences, as recognition runs them (tokens, gazetteer,
   features, tagging, the rules over an article: `texts_candidates`),
   beside the gazetteer alone and the model without the surname rule on
   the same sentences in the same run.
"""

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import ROOT, django_on_temp_db  # noqa: E402

# Sentences per article in the shipped model's benchmark.
ARTICLE = 25
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def best_of(function, repeat=5):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def seed_texts():
    from articles.importing.formats import parse_file

    seed = ROOT / "seeds" / "000_f43ac9fcd8114102.txt"
    record = parse_file(seed, seed.read_bytes())
    return [record.title, record.lead_caption, *record.paragraphs, *(s.title for s in record.related)]


def gazetteer_bench():
    from arabic.ner.gazetteer import Gazetteer
    from arabic.ner.seed import gazetteer_seed

    rng = random.Random(1)
    real = [name for entry in gazetteer_seed() for name in [entry.name_ar, *entry.aliases]]

    def gazetteer_of(size):
        gazetteer = Gazetteer()
        for index, name in enumerate(real):
            gazetteer.add(name, index)
        while gazetteer.size < size:
            words = rng.randint(1, 3)
            name = " ".join("".join(rng.choice(ARABIC_LETTERS) for _ in range(rng.randint(3, 8))) for _ in range(words))
            gazetteer.add(name, gazetteer.size)
        return gazetteer

    text = "\n\n".join(seed_texts())
    print(f"Gazetteer matching (best of 5), seed article: {len(text):,} characters")
    for size in (1_000, 100_000):
        gazetteer = gazetteer_of(size)
        for label, sample in (("1x text", text), ("10x text", "\n\n".join([text] * 10))):
            seconds = best_of(lambda g=gazetteer, s=sample: g.find(s))
            found = len(gazetteer.find(sample))
            print(f"  {size:>7,} entries, {label:8}: {seconds * 1000:7.2f} ms, {found} names found")


def ner_bench(sentence_count):
    import torch
    from camel_tools.tokenizers.word import simple_word_tokenize

    from arabic.ner import camel
    from tests.tiny_bert import build_model

    torch.set_num_threads(2)
    texts = seed_texts()
    sentences = [simple_word_tokenize(s) for text in texts for s in text.replace("؟", ".").split(".") if s.strip()]
    sentences = (sentences * (sentence_count // len(sentences) + 1))[:sentence_count]
    words = sum(len(s) for s in sentences)
    with tempfile.TemporaryDirectory() as folder:
        print(f"\nNER on {len(sentences)} sentences ({words} words), bert-base-sized model, CPU, batch 32")
        path = build_model(Path(folder), texts, size="base")
        model = camel.BatchedNER(camel.import_ner().NERecognizer(str(path), use_gpu=False))
        model.predict(sentences[:4])  # warm up
        started = time.perf_counter()
        theirs = model.recognizer.predict(sentences, batch_size=32)
        camel_seconds = time.perf_counter() - started
        started = time.perf_counter()
        ours = model.predict(sentences, batch_size=32)
        our_seconds = time.perf_counter() - started
    print(f"  NERecognizer.predict: {camel_seconds:6.2f} s, {len(sentences) / camel_seconds:6.1f} sentences/s")
    print(f"  BatchedNER.predict:   {our_seconds:6.2f} s, {len(sentences) / our_seconds:6.1f} sentences/s")
    print(f"  speed-up: {camel_seconds / our_seconds:.1f}x; labels identical: {ours == theirs}")


def shipped_bench(sentence_count):
    import contextlib
    import os

    from arabic.ner import crf, pipeline
    from arabic.ner.pipeline import gazetteer_candidates, seed_gazetteer, texts_candidates
    from arabic.tokens import tokens_with_offsets
    from articles.entities.recognition import shipped_model, shipped_model_path

    with contextlib.suppress(AttributeError, OSError):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    gazetteer, types = seed_gazetteer()
    sentences = [
        text[words[0][1] : words[-1][2]] for text in seed_texts() for words in tokens_with_offsets(text) if words
    ]
    sentences = (sentences * (sentence_count // len(sentences) + 1))[:sentence_count]
    words = sum(len(s.split()) for s in sentences)
    crf._load.cache_clear()
    started = time.perf_counter()
    model = shipped_model()
    load_seconds = time.perf_counter() - started
    print(f"\nShipped model (CRF), {sentence_count} seed sentences ({words:,} words), one core")
    print(f"  load: {load_seconds:.3f} s ({shipped_model_path()})")

    def gazetteer_only():
        return [gazetteer_candidates(s, gazetteer, types) for s in sentences]

    articles = [sentences[start : start + ARTICLE] for start in range(0, len(sentences), ARTICLE)]

    def with_model():
        return [
            mentions
            for article in articles
            for mentions in texts_candidates(article, gazetteer=gazetteer, types=types, shipped=model)
        ]

    def without_surname_rule():
        pipeline.SURNAMES_AGAIN = False
        try:
            return with_model()
        finally:
            pipeline.SURNAMES_AGAIN = True

    started = time.perf_counter()
    with_model()  # a cold word-feature cache; then warm, as a running worker has it
    cold_seconds = time.perf_counter() - started
    gazetteer_seconds = best_of(gazetteer_only, repeat=3)
    model_seconds = best_of(with_model, repeat=3)
    rule_seconds = best_of(without_surname_rule, repeat=3)
    spans = sum(len(found) for found in with_model()) - sum(
        len(gazetteer_candidates(s, gazetteer, types)) for s in sentences
    )
    print(f"  gazetteer alone:     {gazetteer_seconds:6.3f} s, {sentence_count / gazetteer_seconds:8,.0f} sentences/s")
    print(
        f"  gazetteer + model:   {model_seconds:6.3f} s, {sentence_count / model_seconds:8,.0f} sentences/s, "
        f"{spans} model spans"
    )
    print(f"  no surname rule:     {rule_seconds:6.3f} s, {sentence_count / rule_seconds:8,.0f} sentences/s")
    print(f"  first run (cold feature cache): {cold_seconds:6.3f} s, {sentence_count / cold_seconds:8,.0f} sentences/s")


def main():
    parser = argparse.ArgumentParser(description="Entity benchmarks")
    parser.add_argument("--skip-ner", action="store_true", help="only the gazetteer benchmark")
    parser.add_argument("--sentences", type=int, default=96)
    parser.add_argument("--shipped-sentences", type=int, default=2000)
    args = parser.parse_args()
    django_on_temp_db()
    gazetteer_bench()
    shipped_bench(args.shipped_sentences)
    if not args.skip_ner:
        ner_bench(args.sentences)


if __name__ == "__main__":
    main()
