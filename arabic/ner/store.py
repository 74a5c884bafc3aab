"""Where retrained models live, which one is in use, and going back.

The committed model (`data/ner-crf.model`) is never written over by a
retraining. `train_ner` writes each new model into a folder of its own
under the trained-models folder (a setting, `var/ner` by default), named by
the time it was trained; the newest complete one is in use. A model is
complete when its description (`ner-crf.meta.json`: when it was trained, on
what, how many editor decisions) is there, and that file is written last.

Every process looks for the newest folder at each use (a directory listing:
microseconds), so a worker picks up a new model at its next article, and
`undo` (moving the newest folder aside, into `undone/`) takes every
process back to the one before, or to the committed model.
"""

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

MODEL_NAME = "ner-crf.model"
UNDONE = "undone"


def meta_path(model_path: Path) -> Path:
    """The model's description beside it."""
    return Path(model_path).with_suffix(".meta.json")


def meta_read(model_path: Path) -> dict:
    """The model's description, or {} when it has none (a model older than descriptions)."""
    try:
        return json.loads(meta_path(model_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def meta_write(model_path: Path, meta: dict) -> None:
    """Write the description (last: it marks the model complete)."""
    partial = meta_path(model_path).with_suffix(".partial")
    partial.write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    partial.replace(meta_path(model_path))


def description(*, sentences: dict[str, int], editor_decisions: int, now: datetime | None = None) -> dict:
    """What a model's description says: when it was trained, on how many sentences of each
    source, and on how many editors' decisions."""
    return {
        "trained_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "sentences": dict(sentences),
        "editor_decisions": editor_decisions,
    }


def new_model_path(folder: Path, now: datetime | None = None) -> Path:
    """Where the next retrained model goes: a new folder named by the time (UTC)."""
    now = now or datetime.now(UTC)
    base = Path(folder) / now.strftime("%Y%m%dT%H%M%S")
    path, number = base, 1
    while path.exists():
        number += 1
        path = base.with_name(f"{base.name}-{number}")
    return path / MODEL_NAME


def trained_models(folder: Path) -> list[Path]:
    """The complete retrained models in `folder`, oldest first."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return [
        path / MODEL_NAME
        for path in sorted(folder.iterdir())
        if path.is_dir() and path.name != UNDONE and meta_path(path / MODEL_NAME).is_file()
    ]


def active_model(folder: Path, committed: Path) -> Path:
    """The model in use: the newest retrained one, else the committed one."""
    models = trained_models(folder)
    return models[-1] if models else Path(committed)


def undo(folder: Path) -> Path | None:
    """Put the newest retrained model aside (into `undone/`); return it, or None if there was none."""
    models = trained_models(folder)
    if not models:
        return None
    newest = models[-1].parent
    target = Path(folder) / UNDONE / newest.name
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        shutil.rmtree(target)
    newest.replace(target)
    return models[-1]
