"""The one error base of the scoring package."""


class ScoringError(Exception):
    """Base for problems in the data or settings handed to scoring.

    Messages say what is wrong and how to fix it, so the sync layer can show
    them to a clerk after translating the wording.
    """
