"""Translating a list of texts with few requests, bounded waits and retries.

One client serves one run (a command, a task). It packs consecutive texts into
requests under the provider's size limit (each between numbered markers,
read back segment by segment: see `packing`), sends alone any segment whose
translation cannot be told apart in the answer, retries a request the provider
refused for a passing reason (too many requests, a server error) with backoff
while the time allowed (`TRANSLATION_TIMEOUT`) lasts, and, once the provider
proved unreachable, sends nothing more in this run: an unreachable provider is
not waited for here, where it would hold the task worker, but tried again
later by the worker (`services.translation_retries_queue`).
"""

import logging
import time
from dataclasses import dataclass

from . import packing
from .deadline import request_deadline
from .providers import ProviderConfig, ProviderError, describe

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    """The translation of one text, or why there is none."""

    text: str = ""
    error: str = ""
    # The failure may pass by itself (unreachable, overloaded): worth trying again later.
    passing: bool = False

    @property
    def ok(self) -> bool:
        return bool(self.text) and not self.error


class TranslationClient:
    def __init__(self, config: ProviderConfig, *, sleep=time.sleep):
        self.config = config
        self.requests_sent = 0
        self.unreachable: str = ""
        self._sleep = sleep

    @property
    def label(self) -> str:
        return self.config.provider.label

    def translate(self, texts: list[str]) -> list[Outcome]:
        """Translate `texts` in order; each gets its own Outcome."""
        limit = self.config.max_request_chars
        pieces: list[str] = []
        owner: list[int] = []  # index of the text each piece belongs to
        for index, text in enumerate(texts):
            for piece in packing.split_long(packing.flatten(text), limit - packing.MARKER_ROOM):
                pieces.append(piece)
                owner.append(index)

        translated: list[Outcome] = []
        for group in packing.pack(pieces, limit):
            translated.extend(self._translate_group([pieces[i] for i in group]))

        results = [Outcome() for _ in texts]
        parts: list[list[str]] = [[] for _ in texts]
        for index, outcome in zip(owner, translated, strict=True):
            if outcome.error and not results[index].error:
                results[index].error = outcome.error
                results[index].passing = outcome.passing
            parts[index].append(outcome.text)
        for index, result in enumerate(results):
            if not result.error:
                result.text = " ".join(part for part in parts[index] if part)
        return results

    def _translate_group(self, group: list[str]) -> list[Outcome]:
        try:
            answer = self._request(packing.join(group))
        except ProviderError as error:
            return [Outcome(error=error.reason, passing=error.passes) for _ in group]
        if len(group) == 1:
            return [Outcome(text=answer.strip())]
        split = packing.unpack(answer, len(group))
        lost = [index for index, text in enumerate(split) if text is None]
        if len(lost) == len(group):
            logger.warning(
                "%s answer: none of the %d packed segments could be told apart (markers lost or mixed up); "
                "sending each alone, one request per segment",
                self.label,
                len(group),
            )
        elif lost:
            logger.info(
                "%s answer: %d of %d segments not recoverable; sending them alone", self.label, len(lost), len(group)
            )
        # A segment whose text cannot be told from its neighbours' goes alone:
        # never guess which part of the answer is its.
        return [
            Outcome(text=text) if text is not None else self._translate_group([group[index]])[0]
            for index, text in enumerate(split)
        ]

    def _request(self, text: str) -> str:
        """One provider call with retries, all within the configured timeout."""
        if self.unreachable:
            raise ProviderError(f"not sent: {self.unreachable} earlier in this run", unreachable=True)
        deadline = time.monotonic() + self.config.timeout
        delay = self.config.backoff
        attempt = 0
        while True:
            attempt += 1
            try:
                with request_deadline(deadline):
                    translator = self.config.make_translator()
                    self.requests_sent += 1
                    answer = translator.translate(text)
                if not isinstance(answer, str) or not answer.strip():
                    raise ProviderError(f"{self.label} returned an empty translation", retryable=True)
                return answer
            except Exception as raised:  # noqa: BLE001 - every failure becomes a ProviderError
                error = describe(raised, self.config)
            out_of_time = time.monotonic() + delay >= deadline
            if error.unreachable or not error.retryable or attempt > self.config.retries or out_of_time:
                if error.unreachable:
                    self.unreachable = error.reason
                logger.warning("%s: %s (after %d attempt(s))", self.label, error.reason, attempt)
                raise error
            logger.info("%s: %s; retrying in %.1f s", self.label, error.reason, delay)
            self._sleep(delay)
            delay *= 2
