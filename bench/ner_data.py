"""Which data the shipped model learns from: cross-validation on the corpora's training folds.

    .venv/bin/python bench/ner_data.py --fold 3 [--both-passes] CONFIG…

Each CONFIG is `name=corpus+corpus[:shared]` (shared: which copy of the text
NewsFANE and ANERcorp share is trained on, `anercorp`, `newsfane` or `both`).
The model is trained on the training part of the named corpora but `--fold`,
and every corpus's `--fold` is scored (exact spans, a name with or without
its proclitic the same; micro over PERS/LOC/ORG). The held-out parts are
never read here (`arabic.ner.corpora.training_part`).
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def main():
    from arabic.ner.corpora import read_corpora
    from arabic.ner.evaluation import corpora_fold_score

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("configs", nargs="+")
    parser.add_argument("--fold", type=int, required=True, choices=range(4))
    parser.add_argument("--both-passes", action="store_true")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    corpora = read_corpora(args.data)
    for config in args.configs:
        name, _, rest = config.partition("=")
        names, _, shared = rest.partition(":")
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as folder:
            results = corpora_fold_score(
                corpora=corpora,
                fold=args.fold,
                folder=folder,
                shared=shared or "both",
                first_pass_only=not args.both_passes,
                train_on=tuple(names.split("+")),
            )
        print(f"\n=== {name} ({rest}), fold {args.fold}, {time.perf_counter() - started:.0f} s", flush=True)
        for runs in results.values():
            for scores in runs:
                print("\n".join(scores.table()), flush=True)
        summary = "  ".join(
            f"{corpus} {runs[-1].row(('PERS', 'LOC', 'ORG'))[2]:.1f}/{runs[-1].row(('PERS',))[2]:.1f}"
            for corpus, runs in results.items()
        )
        print(f"SUMMARY {name} fold {args.fold}: micro/PERS {summary}", flush=True)


if __name__ == "__main__":
    main()
