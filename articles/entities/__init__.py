"""Named entities: where they come from and how they are matched.

- `seed`, `curated`: the gazetteer's offline seed (CLDR, iso-codes, hand-written).
- `gazetteer`: matching names in Arabic text (normalisation, clitics, longest match).
- `camel`: the camel-tools NER model (guarded import, batched prediction).
- `corpus`, `features`, `crf`: the shipped NER model (a CRF trained on NewsFANE) and its training data.
- `recognition`: the pipeline (editor > gazetteer > camel-tools > shipped model), stored as mentions.
- `evaluation`: scores on the corpus's held-out part.
- `services`: editors' decisions; `tasks`: background recognition.
"""
