"""The camel-tools NER model: guarded import, loading once, fast prediction.

An extra: the model runs on torch and transformers, which the default install
leaves out (about 900 MB; requirements-bert.txt, `make bert`). camel-tools
itself is installed without its declared dependencies, so whether they are
here is asked before anything imports `camel_tools.ner` (`bert_missing`).

Offline safety: `camel_tools.data` downloads a catalogue when first imported
if `$CAMELTOOLS_DATA/catalogue.json` is missing, so `import camel_tools.ner`
fails with no internet. Before importing it we write a catalogue that
describes the NER dataset where camel-tools keeps it (data/ner/arabert); a
real catalogue, once downloaded, is left alone.

Speed: `NERecognizer.predict` pads every sentence to 256 word pieces.
`BatchedNER.predict` feeds the same model the same features, sorted by length
and padded only to the longest of each batch; the labels are the same.
"""

import importlib.util
import json
import logging
import os
import threading
from functools import lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

NER_DATASET = Path("data") / "ner" / "arabert"
LABELS = ["B-LOC", "B-ORG", "B-PERS", "B-MISC", "I-LOC", "I-ORG", "I-PERS", "I-MISC", "O"]

OFFLINE_CATALOGUE = {
    "version": "1.6",
    "packages": {
        "ner-arabert": {
            "description": "Offline placeholder: the real catalogue replaces this entry when online.",
            "package_type": "meta",
            "destination": "ner/arabert",
            "private": False,
        }
    },
    "components": {
        "NamedEntityRecognition": {"default": "arabert", "datasets": {"arabert": {"path": "ner/arabert"}}},
    },
}


# What the BERT model needs beyond the default install: requirements-bert.txt.
BERT_PACKAGES = ("torch", "transformers")


def bert_missing() -> list[str]:
    """The BERT extra's packages this Python cannot import (looked up, not imported: torch takes seconds)."""
    missing = []
    for name in BERT_PACKAGES:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(name)
    return missing


def data_dir() -> Path:
    """camel-tools' data folder: `$CAMELTOOLS_DATA` (camel-tools reads it when first imported; the
    app's settings set it), else camel-tools' own default."""
    return Path(os.environ.get("CAMELTOOLS_DATA") or Path.home() / ".camel_tools")


def ensure_catalogue(directory: Path | None = None) -> Path:
    """Write an offline catalogue unless one is there; returns its path."""
    directory = directory or data_dir()
    path = directory / "catalogue.json"
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(OFFLINE_CATALOGUE, indent=2), encoding="utf-8")
    return path


def model_path(directory: Path | None = None) -> Path | None:
    """Where the NER model is, if its data is installed."""
    path = (directory or data_dir()) / NER_DATASET
    return path if (path / "config.json").exists() else None


def import_ner():
    """`camel_tools.ner`, imported without touching the network."""
    ensure_catalogue()
    from camel_tools import ner

    return ner


_load_lock = threading.Lock()


@lru_cache(maxsize=4)
def _load(path: str, batch_size: int) -> "BatchedNER":
    ner = import_ner()
    logger.info("loading the camel-tools NER model from %s", path)
    return BatchedNER(ner.NERecognizer(path, use_gpu=False), batch_size=batch_size)


def load_model(path: Path, *, batch_size: int = 32) -> "BatchedNER":
    """The model at `path`, loaded once per process (about 1.3 GB for bert-base)."""
    with _load_lock:
        return _load(str(path), batch_size)


class BatchedNER:
    """camel-tools' NER model, run on batches padded to their longest sentence."""

    def __init__(self, recognizer, *, batch_size: int = 32):
        self.recognizer = recognizer
        self.batch_size = batch_size
        self.tokenizer = recognizer.tokenizer
        self.model = recognizer.model
        self.labels_map = recognizer.labels_map

    def usable(self, words: list[str]) -> list[bool]:
        """Whether each word yields a word piece (an empty string or U+200F does not)."""
        return [bool(word.strip()) and bool(self.tokenizer.tokenize(word)) for word in words]

    def predict(self, sentences: list[list[str]], batch_size: int | None = None) -> list[list[str]]:
        """One label per word, as `NERecognizer.predict` gives, only faster.

        Sentences go to the model `batch_size` at a time (by default the
        model's own, NER_BATCH_SIZE in the app). Words that produce no word piece would shift
        camel-tools' labels; they are left out of the model's input and
        labelled O.
        """
        import torch
        from camel_tools.ner import NERDataset

        batch_size = batch_size or self.batch_size
        if batch_size < 1:
            raise ValueError(f"the batch size must be at least 1, not {batch_size}")

        flags = [self.usable(sentence) for sentence in sentences]
        kept = [
            [word for word, ok in zip(sentence, ok_flags, strict=True) if ok]
            for sentence, ok_flags in zip(sentences, flags, strict=True)
        ]
        if not any(kept):
            return [["O"] * len(sentence) for sentence in sentences]
        dataset = NERDataset(
            sentences=kept,
            tokenizer=self.tokenizer,
            labels=list(self.labels_map.values()),
            max_seq_length=256,
        )
        features = dataset.features
        lengths = [int(feature["attention_mask"].sum()) for feature in features]
        order = sorted(range(len(features)), key=lambda i: lengths[i])
        ignore = dataset.pad_token_label_id
        labels_by_feature: dict[int, list[str]] = {}
        self.model.eval()
        with torch.inference_mode():
            for batch_start in range(0, len(order), batch_size):
                indices = order[batch_start : batch_start + batch_size]
                width = max(lengths[i] for i in indices)

                def stack(name, indices=indices, width=width):
                    return torch.stack([features[i][name][:width] for i in indices])

                logits = self.model(
                    input_ids=stack("input_ids"),
                    attention_mask=stack("attention_mask"),
                    token_type_ids=stack("token_type_ids"),
                )[0]
                predicted = logits.argmax(dim=2).tolist()
                label_ids = stack("label_ids").tolist()
                for row, index in enumerate(indices):
                    labels_by_feature[index] = [
                        self.labels_map[predicted[row][j]] for j in range(width) if label_ids[row][j] != ignore
                    ]
        per_sentence: list[list[str]] = [[] for _ in kept]
        for index, feature in enumerate(features):
            per_sentence[int(feature["sent_id"])].extend(labels_by_feature[index])

        results = []
        for ok_flags, labels in zip(flags, per_sentence, strict=True):
            remaining = iter(labels)
            results.append([next(remaining, "O") if ok else "O" for ok in ok_flags])
        return results
