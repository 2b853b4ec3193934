from django.core.exceptions import ValidationError


class ReportError(ValidationError):
    """A step of the report workflow that may not be taken as asked (an unapproved report sent, a period that
    ends before it starts, an individual communication without consent …); the message says why. Nothing
    was written."""
