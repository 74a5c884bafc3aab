"""Where we call the translation providers: deep-translator's clients, one
new instance per request (they mutate their own state on every call), and
their failures said in plain words. The app makes a `ProviderConfig` from its
settings (`articles.translation.config`)."""

from collections.abc import Callable
from dataclasses import dataclass

import requests
from deep_translator import DeeplTranslator, GoogleTranslator, LibreTranslator, MicrosoftTranslator, MyMemoryTranslator
from deep_translator import exceptions as dt


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    # deep-translator refuses a text of this many characters or more.
    max_chars: int
    needs_key: bool = False


PROVIDERS = {
    provider.name: provider
    for provider in [
        Provider("google", "Google Translate", 5000),
        Provider("mymemory", "MyMemory", 500),
        Provider("libre", "LibreTranslate", 5000),
        Provider("deepl", "DeepL", 5000, needs_key=True),
        Provider("microsoft", "Microsoft Translator", 5000, needs_key=True),
    ]
}
NO_PROVIDER = "none"
_SERVER_STATUS = {message: status for status, message in dt.ServerException.errors.items()}


def provider_label(name: str) -> str:
    if name in PROVIDERS:
        return PROVIDERS[name].label
    return name


class ConfigurationError(Exception):
    """The provider cannot be used as configured; the message says what to set."""


@dataclass(frozen=True)
class ProviderConfig:
    provider: Provider
    source: str
    target: str
    api_key: str = ""
    libre_url: str = ""
    microsoft_region: str = ""
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0

    @property
    def max_request_chars(self) -> int:
        return self.provider.max_chars - 1

    def make_translator(self):
        """A new deep-translator client for one request."""
        return _FACTORIES[self.provider.name](self)


def _libre(config: ProviderConfig):
    if not config.libre_url:
        raise ConfigurationError("TRANSLATION_LIBRE_URL is not set (the LibreTranslate server's address)")
    # deep-translator ignores base_url for Libre and insists on an api_key,
    # even for a server that needs none.
    return LibreTranslator(
        source=config.source,
        target=config.target,
        api_key=config.api_key or "unused",
        custom_url=config.libre_url.rstrip("/") + "/",
    )


_FACTORIES: dict[str, Callable[[ProviderConfig], object]] = {
    "google": lambda c: GoogleTranslator(source=c.source, target=c.target),
    "mymemory": lambda c: MyMemoryTranslator(source=_mymemory_code(c.source), target=_mymemory_code(c.target)),
    "libre": _libre,
    "deepl": lambda c: DeeplTranslator(
        source=c.source, target=c.target, api_key=c.api_key, use_free_api=c.api_key.endswith(":fx")
    ),
    "microsoft": lambda c: MicrosoftTranslator(
        source=c.source, target=c.target, api_key=c.api_key, region=c.microsoft_region or None
    ),
}

# MyMemory wants regional codes.
_MYMEMORY_CODES = {"ar": "ar-SA", "en": "en-GB", "fr": "fr-FR", "de": "de-DE", "es": "es-ES", "tr": "tr-TR"}


def _mymemory_code(code: str) -> str:
    return _MYMEMORY_CODES.get(code, code)


@dataclass
class ProviderError(Exception):
    """A failed provider call, described in plain words for readers and editors."""

    reason: str
    retryable: bool = False
    # The provider could not be reached at all: later calls of the same run would fail alike,
    # so the run stops sending, and the worker tries again later (with backoff).
    unreachable: bool = False

    @property
    def passes(self) -> bool:
        """Whether waiting may cure it (unreachable, overloaded), as opposed to a refusal that
        needs other settings (a bad key, a request the provider will never accept)."""
        return self.retryable or self.unreachable

    def __str__(self):
        return self.reason


def describe(error: Exception, config: ProviderConfig) -> ProviderError:
    """Turn whatever the client raised into a ProviderError."""
    label = config.provider.label
    if isinstance(error, ProviderError):
        return error
    if isinstance(error, requests.exceptions.Timeout):
        return ProviderError(
            f"{label} did not answer within {config.timeout:g} seconds", retryable=False, unreachable=True
        )
    if isinstance(error, requests.exceptions.ConnectionError | ConnectionError):
        return ProviderError(f"could not connect to {label} (offline?)", retryable=True, unreachable=True)
    if isinstance(error, dt.TooManyRequests):
        return ProviderError(f"{label} refused: too many requests (HTTP 429)", retryable=True)
    if isinstance(error, dt.ServerException):
        # deep-translator keeps only a message; map it back to the HTTP status.
        status = _SERVER_STATUS.get(error.args[0] if error.args else "")
        if status == 429:
            return ProviderError(f"{label} refused: too many requests (HTTP 429)", retryable=True)
        if status and 400 <= status < 500:
            return ProviderError(f"{label} refused the request (HTTP {status})")
        return ProviderError(f"{label} failed with a server error (HTTP {status or '5xx'})", retryable=True)
    if isinstance(error, dt.RequestError):
        return ProviderError(f"{label} answered with an HTTP error", retryable=True)
    if isinstance(error, dt.AuthorizationException | dt.ApiKeyException):
        return ProviderError(f"{label} refused the API key (check TRANSLATION_API_KEY)")
    if isinstance(error, dt.TranslationNotFound):
        return ProviderError(f"{label} returned no translation", retryable=True)
    if isinstance(error, ValueError | KeyError | TypeError):
        return ProviderError(f"{label} sent an answer that could not be read (malformed response)", retryable=True)
    if isinstance(error, ConfigurationError):
        return ProviderError(str(error))
    return ProviderError(f"{label} failed: {type(error).__name__}: {error}")
