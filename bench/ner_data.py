"""Which data the shipped model learns from: cross-validation on the corpora's training folds.

    .venv/bin/python bench/ner_data.py --fold 3 [--both-passes] CONFIG…

Each CONFIG is `name=corpus+corpus[:shared][@SETTING=VALUE,…]` (shared: which
copy of the text NewsFANE and ANERcorp share is trained on, `anercorp`,
`newsfane` or `both`; a setting is a module constant of `arabic.ner.crf`,
`arabic.ner.pipeline`, `arabic.ner.phrases` or `arabic.ner.wordlists`, e.g.
`@WORD_FREQUENCIES=0,LISTED_PEOPLE=0` or `@MEDIA_NAMES=0,MINISTRIES=0,PHOTO_CREDITS=0`).
The model is trained on the training part of the named corpora but `--fold`,
and every corpus's `--fold` is scored (exact spans, a name with or without
its proclitic the same; micro over PERS/LOC/ORG). The held-out parts are
never read here (`arabic.ner.corpora.training_part`).

    .venv/bin/python bench/ner_data.py --later-stories [--both-passes] CONFIG…

instead scores news the way an independent test set would read it: stories
the model never saw. ANERcorp's held-out part is every fifth block of 50
sentences, between blocks it trains on, so a story running on, or a name in
the news that month, can be learnt next door. Here ANERcorp's last fifth is
scored (its sentences in order: the later stories), and the training is its
first four fifths, but for any sentence sharing a run of six words with the
last, and AQMAR's training articles; AQMAR's held-out articles are scored
too. This reads sentences the held-out parts hold: a figure to compare
settings by, once they are chosen on the folds, not to choose them.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import SHARED_DATA as DATA  # noqa: E402


def main():
    from arabic.ner.corpora import read_corpora
    from arabic.ner.evaluation import corpora_fold_score

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("configs", nargs="*")
    parser.add_argument("--fold", type=int, choices=range(4))
    parser.add_argument(
        "--later-stories", action="store_true", help="instead of a fold: score ANERcorp's last fifth (see above)"
    )
    parser.add_argument(
        "--coverage", action="store_true", help="instead: how much of each held-out part the names lists cover"
    )
    parser.add_argument("--both-passes", action="store_true")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    corpora = read_corpora(args.data)
    if args.coverage:
        return coverage(corpora)
    if args.later_stories:
        corpora = later_stories(corpora)
    elif args.fold is None:
        parser.error("give --fold or --later-stories")
    label = "later stories" if args.later_stories else f"fold {args.fold}"
    for config in args.configs:
        name, _, rest = config.partition("=")
        rest, _, changes = rest.partition("@")
        names, _, shared = rest.partition(":")
        restore = apply_settings(changes)
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
        print(f"\n=== {name} ({config}), {label}, {time.perf_counter() - started:.0f} s", flush=True)
        for runs in results.values():
            for scores in runs:
                if scores.sentences:  # (NewsFANE has none with --later-stories)
                    print("\n".join(scores.table()), flush=True)
        summary = "  ".join(
            f"{corpus} " + " | ".join(f"{r.row(('PERS', 'LOC', 'ORG'))[2]:.1f}/{r.row(('PERS',))[2]:.1f}" for r in runs)
            for corpus, runs in results.items()
            if runs[0].sentences
        )
        print(
            f"SUMMARY {name} {label}: micro/PERS per run (first pass | … | as recognition runs) {summary}",
            flush=True,
        )
        restore()


def later_stories(corpora):
    """The corpora with ANERcorp's last fifth as the part scored and its first four fifths as
    training; AQMAR as it is; NewsFANE (ANERcorp's text under other conventions) and Wojood neither
    trained on nor scored, NewsFANE still giving its word forms' counts."""
    from arabic.ner.corpus import HELD_OUT_FOLD

    anercorp = corpora["anercorp"]
    cut = len(anercorp) * 4 // 5
    for position, sentence in enumerate(anercorp):
        sentence.fold = HELD_OUT_FOLD if position >= cut else 0
    for sentence in corpora.get("newsfane", []):
        sentence.fold = 0
    return {name: corpora[name] for name in ("anercorp", "aqmar", "newsfane") if name in corpora}


def coverage(corpora):
    """How much of each held-out part's gold the lists the model is given would name by themselves:
    a listed person's full name (arwikicats), every word of a person's name a listed given or
    family name (Faker's and `crf.FOREIGN_GIVEN_NAMES`), a place or organisation the seed
    gazetteer holds under that name. Lists made without looking at the corpora."""
    from arabic.ner import crf, names
    from arabic.ner.linking import folded_name
    from arabic.ner.pipeline import gazetteer_candidates, seed_gazetteer

    people = set(names.listed_people())
    given = crf.person_names()
    gazetteer, types = seed_gazetteer()
    for name, sentences in corpora.items():
        held_out = [s for s in sentences if s.held_out]
        counts = {"PERS": [0, 0, 0], "LOC": [0, 0], "ORG": [0, 0]}
        for sentence in held_out:
            found = {(c.start, c.end, c.label) for c in gazetteer_candidates(sentence.text, gazetteer, types)}
            for start, end, kind in sentence.spans:
                if kind not in counts:
                    continue
                counts[kind][0] += 1
                if kind == "PERS":
                    words = folded_name(sentence.text[start:end])
                    counts[kind][1] += words in people
                    counts[kind][2] += all(word in given for word in words.split())
                else:
                    counts[kind][1] += (start, end, kind) in found
        pers, loc, org = counts["PERS"], counts["LOC"], counts["ORG"]
        print(
            f"{name}: {len(held_out)} held-out sentences; PERS {pers[0]}: {100 * pers[1] / max(pers[0], 1):.1f} % "
            f"a listed person's full name, {100 * pers[2] / max(pers[0], 1):.1f} % every word a listed given or "
            f"family name; LOC {loc[0]}: {100 * loc[1] / max(loc[0], 1):.1f} % and ORG {org[0]}: "
            f"{100 * org[1] / max(org[0], 1):.1f} % exactly in the seed gazetteer"
        )


def apply_settings(changes: str):
    """Set module constants for one config; return what puts them back."""
    from arabic.ner import crf, phrases, pipeline, wordlists

    old = []
    for change in filter(None, changes.split(",")):
        key, _, value = change.partition("=")
        module = next(m for m in (crf, pipeline, phrases, wordlists) if hasattr(m, key))
        old.append((module, key, getattr(module, key)))
        setattr(module, key, type(getattr(module, key))(float(value)) if value else value)
        wordlists.word_frequencies.cache_clear()

    def restore():
        for module, key, value in old:
            setattr(module, key, value)

    return restore


if __name__ == "__main__":
    main()
