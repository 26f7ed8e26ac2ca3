"""The wizard's exceptions, in one place.

```
WizardError                       base class: `except WizardError` handles everything the wizard raises
├── DataError(file, key)          a file in wizard/data/ is missing, malformed or inconsistent (a bug in the package)
└── InvalidAnswers(key)           an answer names an unknown question, or a value its question does not offer
                                  (also a ValueError: bad input from a user, a URL or an answers file)
```

Every message names what is wrong and where: the data file and key, or the answer key.
"""

from __future__ import annotations


class WizardError(Exception):
    """Base class of every error the wizard raises on purpose."""


class DataError(WizardError):
    """A data file (questions, rules, outcomes, examples, model, catalogue) failed validation at load time.

    Attributes:
        file: the file, relative to the package (for example ``"wizard/data/rules.toml"``).
        key: the dotted key inside it that is wrong (for example ``"rule[3].when.fanout"``).

    """

    def __init__(self, file: str, key: str, message: str) -> None:
        self.file = file
        self.key = key
        super().__init__(f"{file}: {key}: {message}")


class InvalidAnswers(WizardError, ValueError):  # noqa: N818 - named for what the caller passed, as the API documents
    """Answers that cannot be used: an unknown question ID, or a value that question does not offer.

    Attributes:
        key: the offending question ID (or parameter name) exactly as the caller gave it.

    """

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        super().__init__(message)
