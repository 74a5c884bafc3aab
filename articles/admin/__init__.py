"""The Django admin, one module per domain; importing them registers them."""

from . import accounts, annotations, articles, entities, feeds, importing, tasks, translations  # noqa: F401
