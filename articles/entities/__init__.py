"""Named entities: where they come from and how they are matched.

- `seed`, `curated`: the gazetteer's offline seed (CLDR, iso-codes, hand-written).
- `gazetteer`: matching names in Arabic text (normalisation, clitics, longest match).
- `camel`: the camel-tools NER model (guarded import, batched prediction).
- `recognition`: both combined with editors' decisions, stored as mentions.
- `services`: editors' decisions; `tasks`: background recognition.
"""
