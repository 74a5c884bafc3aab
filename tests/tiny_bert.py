"""Builds a BERT token classifier laid out as camel-tools expects, for tests and
benchmarks: `<CAMELTOOLS_DATA>/data/ner/arabert/` with config.json (camel's 9
labels), the weights, vocab.txt, tokenizer_config.json (do_lower_case false,
or hamza would be stripped) and special_tokens_map.json. The weights are
`model.safetensors` or, as camel-tools' ner_arabert-1.0.0.zip ships them,
`pytorch_model.bin`."""

import json
from pathlib import Path

from arabic.ner.camel import LABELS, NER_DATASET, ensure_catalogue

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


def build_model(
    data_dir: Path,
    texts: list[str],
    *,
    size: str = "tiny",
    seed: int = 7,
    weights: str = "safetensors",
    favour: str | None = None,
) -> Path:
    """The model under `data_dir`; with `favour` (a label), it gives that label to every word."""
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
    if favour is not None:
        with torch.no_grad():
            model.classifier.bias[LABELS.index(favour)] = 100.0
    model.save_pretrained(path)
    if weights == "bin":
        # transformers 5 saves safetensors only; the .bin format is torch's pickled state dict.
        (path / "model.safetensors").unlink()
        torch.save(model.state_dict(), path / "pytorch_model.bin")
    (path / "special_tokens_map.json").write_text(
        json.dumps(
            {
                "unk_token": "[UNK]",
                "sep_token": "[SEP]",
                "pad_token": "[PAD]",
                "cls_token": "[CLS]",
                "mask_token": "[MASK]",
            }
        ),
        encoding="utf-8",
    )
    ensure_catalogue(Path(data_dir))
    return path
