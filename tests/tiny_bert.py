"""Builds a BERT token classifier laid out as camel-tools expects, for tests and
benchmarks: `<CAMELTOOLS_DATA>/data/ner/arabert/` with config.json (camel's 9
labels), the weights, vocab.txt and tokenizer_config.json (do_lower_case false,
or hamza would be stripped)."""

import json
from pathlib import Path

from articles.entities.camel import LABELS, NER_DATASET, ensure_catalogue

SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def vocabulary(texts: list[str]) -> list[str]:
    """Whole words of `texts`, plus every character alone and as a continuation piece."""
    words, chars = set(), set()
    for text in texts:
        for word in text.split():
            words.add(word)
            chars.update(word)
    pieces = sorted(words) + sorted(chars) + sorted(f"##{char}" for char in chars)
    return SPECIAL + [piece for piece in dict.fromkeys(pieces) if piece not in SPECIAL]


def build_model(data_dir: Path, texts: list[str], *, size: str = "tiny", seed: int = 7) -> Path:
    import torch
    from transformers import BertConfig, BertForTokenClassification

    path = Path(data_dir) / NER_DATASET
    path.mkdir(parents=True, exist_ok=True)
    vocab = vocabulary(texts)
    (path / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    (path / "tokenizer_config.json").write_text(
        json.dumps({"do_lower_case": False, "tokenizer_class": "BertTokenizer"}), encoding="utf-8"
    )
    dimensions = (
        {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 64}
        if size == "tiny"
        else {"hidden_size": 768, "num_hidden_layers": 12, "num_attention_heads": 12, "intermediate_size": 3072}
    )
    config = BertConfig(
        vocab_size=len(vocab),
        max_position_embeddings=512,
        id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)},
        **dimensions,
    )
    torch.manual_seed(seed)
    model = BertForTokenClassification(config)
    model.save_pretrained(path)
    ensure_catalogue(Path(data_dir))
    return path
