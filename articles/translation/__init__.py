"""Machine translation beside the original.

The provider client lives in `arabic.translation` (texts in, translations or
reasons out); this package keeps each article's translations in step.

- `config`: the provider the settings ask for, and a digest of those settings.
- `services`: which segments need translating; editors' reviews.
- `tasks`: the background tasks imports and edits queue, and the worker's retries.
- `presentation`: what a reader is told about a translation.
"""
