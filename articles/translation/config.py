"""The translation provider the settings ask for, and a digest of those settings."""

import hashlib
from functools import lru_cache

from django.conf import settings

from arabic.translation.providers import NO_PROVIDER, PROVIDERS, ConfigurationError, ProviderConfig


def settings_key() -> str:
    """A digest of the translation settings as they are now (provider, languages, address, key, limits).

    Stored with each failure (`Translation.failed_with`): a failure under other settings is tried
    again, and its reason, which may name a provider the site no longer uses, is not shown."""
    values = (
        settings.TRANSLATION_PROVIDER,
        settings.TRANSLATION_SOURCE,
        settings.TRANSLATION_TARGET,
        settings.TRANSLATION_API_KEY,
        settings.TRANSLATION_LIBRE_URL,
        settings.TRANSLATION_MICROSOFT_REGION,
        settings.TRANSLATION_TIMEOUT,
        settings.TRANSLATION_RETRIES,
    )
    return _digest(values)


@lru_cache(maxsize=16)
def _digest(values: tuple) -> str:
    # Every cached page's key holds it: hashed once per set of values, not once per request.
    return hashlib.sha256(repr(values).encode()).hexdigest()[:16]


def config_from_settings() -> ProviderConfig | None:
    """The configured provider, or None when machine translation is off."""
    name = settings.TRANSLATION_PROVIDER
    if name == NO_PROVIDER:
        return None
    if name not in PROVIDERS:
        choices = ", ".join([*PROVIDERS, NO_PROVIDER])
        raise ConfigurationError(f"TRANSLATION_PROVIDER={name!r} is not one of: {choices}")
    provider = PROVIDERS[name]
    if provider.needs_key and not settings.TRANSLATION_API_KEY:
        raise ConfigurationError(f"TRANSLATION_API_KEY is not set ({provider.label} needs one)")
    return ProviderConfig(
        provider=provider,
        source=settings.TRANSLATION_SOURCE,
        target=settings.TRANSLATION_TARGET,
        api_key=settings.TRANSLATION_API_KEY,
        libre_url=settings.TRANSLATION_LIBRE_URL,
        microsoft_region=settings.TRANSLATION_MICROSOFT_REGION,
        timeout=settings.TRANSLATION_TIMEOUT,
        retries=settings.TRANSLATION_RETRIES,
        backoff=settings.TRANSLATION_BACKOFF,
    )
