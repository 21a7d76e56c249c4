"""The few exception types the edges (CLIs, bot handlers) turn into messages.

Each carries an English message for logs and a Vietnamese one for users, and
where possible a hint on how to fix the problem.
"""

from __future__ import annotations


class QcdcError(Exception):
    """Base class: an expected failure with a message a user can act on."""

    def __init__(self, message: str, *, user_message: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.user_message = user_message or message
        self.hint = hint

    def __str__(self) -> str:
        message = super().__str__()
        return f"{message}. {self.hint}" if self.hint else message

    def for_user(self) -> str:
        """The Vietnamese message (it carries its own advice); the hint is for logs."""
        return self.user_message


class SettingsError(QcdcError):
    """A setting in the environment or .env has an invalid value."""


class CorpusError(QcdcError):
    """A corpus file cannot be read or has invalid front matter."""


class IndexStateError(QcdcError):
    """The index is missing, unreadable or locked."""


class ModelMismatchError(IndexStateError):
    """The index was built with another embedding model than the one configured."""


class EmbeddingModelError(QcdcError):
    """The embedding model cannot be loaded (not installed, not downloadable offline)."""


class InvalidQuestionError(QcdcError):
    """A question that cannot be answered as typed: empty, too long, no words."""
