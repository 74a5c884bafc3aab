"""Machine translation beside the original, through deep-translator.

- `providers`: which provider, configured how; where deep-translator is called.
- `client`: packing segments into few requests, timeouts, retries.
- `services`: which segments need translating; editors' reviews.
- `tasks`: the background task that imports and edits queue.
"""
