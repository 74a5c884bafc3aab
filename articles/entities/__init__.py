"""Named entities in the archive: the entity table, the mentions in articles, editors' decisions.

The recognisers themselves live in `arabic.ner` (plain text in, spans out);
this package runs them over articles and stores what they find.

- `recognition`: the gazetteer the entity table makes, the models loaded once
  per process, and `article_recognize`, stored as mentions.
- `services`: editors' decisions and the gazetteer's seed; `tasks`: background recognition.
- `presentation`: how a mention looks on the page.
"""
