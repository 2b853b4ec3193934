"""Enumerations of the cases app. Where HURIDOCS Events Standard Formats has the notion, its micro-thesaurus
is named, so exports map onto other documentation systems (REPORTS.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Authority(models.TextChoices):
    """Detaining authority (HURIDOCS MT 24, perpetrator type)."""

    POLICE = "police", _("Police")
    SPECIAL_FORCES = "special_forces", _("Police special forces")
    NATIONAL_SECURITY = "national_security", _("National Security Committee")
    MILITARY = "military", _("Military / internal troops")
    LOCAL_OFFICIALS = "local_officials", _("Local officials")
    PLAIN_CLOTHES = "plain_clothes", _("Unidentified plain-clothes officers")
    UNKNOWN = "unknown", _("Unknown")


class ProceduralStatus(models.TextChoices):
    WITNESS_WITH_RIGHT_TO_DEFENCE = "witness_protected", _("Witness entitled to protection")
    WITNESS = "witness", _("Witness")
    SUSPECT = "suspect", _("Suspect")
    ACCUSED = "accused", _("Accused")
    ADMINISTRATIVE_DETAINEE = "administrative", _("Administrative detainee")
    NONE = "none", _("No status given")
    UNKNOWN = "unknown", _("Unknown")


class DetentionType(models.TextChoices):
    """HURIDOCS MT 29, type of detention."""

    ADMINISTRATIVE = "administrative", _("Administrative detention")
    FREE_SPEECH = "political_act", _("For free speech or non-violent political acts")
    ORDINARY_LAW = "ordinary_law", _("Under ordinary criminal law")
    EMERGENCY_LAW = "emergency_law", _("Under emergency law")
    UNKNOWN = "unknown", _("Unknown")


class Whereabouts(models.TextChoices):
    """HURIDOCS MT 30, whereabouts and outside contact."""

    DISCLOSED = "disclosed", _("Capture acknowledged, location disclosed")
    UNDISCLOSED = "undisclosed", _("Capture acknowledged, location not disclosed")
    INCOMMUNICADO = "incommunicado", _("Held incommunicado")
    DENIED = "denied", _("Capture denied")
    UNKNOWN = "unknown", _("Unknown")


class LawyerAccess(models.TextChoices):
    """HURIDOCS MT 31, legal counsel."""

    NONE_PERMITTED = "none_permitted", _("No lawyer permitted")
    NONE_REQUESTED = "none_requested", _("No lawyer requested")
    DELAYED = "delayed", _("Lawyer admitted late")
    STATE_APPOINTED = "state_appointed", _("State-appointed lawyer")
    CHOSEN = "chosen", _("Lawyer of own choice")
    NGO = "ngo", _("NGO lawyer")
    UNKNOWN = "unknown", _("Unknown")


class DetentionOutcome(models.TextChoices):
    RELEASED = "released", _("Released without charge")
    WARNED = "warned", _("Released with a warning")
    FINED = "fined", _("Fined")
    ADMINISTRATIVE_ARREST = "admin_arrest", _("Administrative arrest")
    CHARGED = "charged", _("Criminally charged")
    STILL_HELD = "held", _("Still held")
    UNKNOWN = "unknown", _("Unknown")


class Verification(models.TextChoices):
    UNVERIFIED = "unverified", _("Unverified")
    VERIFIED = "verified", _("Verified")
    DISPUTED = "disputed", _("Disputed")


class CustodyKind(models.TextChoices):
    POLICE_STATION = "police_station", _("Police station")
    TEMPORARY_DETENTION = "ivs", _("Temporary detention centre (IVS)")
    SPECIAL_RECEPTION = "special_reception", _("Special reception centre (administrative arrest)")
    PRE_TRIAL = "sizo", _("Pre-trial detention centre (SIZO)")
    PRISON = "prison", _("Prison / penal colony")
    HOUSE_ARREST = "house_arrest", _("House arrest")
    PSYCHIATRIC = "psychiatric", _("Psychiatric institution")
    OTHER = "other", _("Other")


class Law(models.TextChoices):
    CRIMINAL_CODE = "CC", _("Criminal Code")
    ADMINISTRATIVE_CODE = "AOC", _("Administrative Offences Code")


class CaseKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("Administrative")
    CRIMINAL = "criminal", _("Criminal")


class CaseStatus(models.TextChoices):
    INVESTIGATION = "investigation", _("Investigation")
    TRIAL = "trial", _("Trial")
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    CLOSED = "closed", _("Closed")
    APPEAL = "appeal", _("Appeal")


class ChargeStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DROPPED = "dropped", _("Dropped")
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")


class SentenceKind(models.TextChoices):
    IMPRISONMENT = "imprisonment", _("Imprisonment")
    RESTRICTION_OF_LIBERTY = "restriction_of_liberty", _("Restriction of liberty")
    ADMINISTRATIVE_ARREST = "administrative_arrest", _("Administrative arrest")
    FINE = "fine", _("Fine")
    PROBATION = "probation", _("Suspended sentence / probation")
    BAN_ON_ACTIVITY = "ban_on_activity", _("Ban on activity")
    COMMUNITY_WORK = "community_work", _("Community work")


class AppealOutcome(models.TextChoices):
    NONE = "none", _("Not appealed")
    PENDING = "pending", _("Appeal pending")
    UPHELD = "upheld", _("Upheld")
    REDUCED = "reduced", _("Reduced")
    INCREASED = "increased", _("Increased")
    OVERTURNED = "overturned", _("Overturned")


class SentenceStatus(models.TextChoices):
    PENDING = "pending", _("Not yet in force")
    SERVING = "serving", _("Serving")
    SERVED = "served", _("Served")
    RELEASED_EARLY = "released_early", _("Released early")
    PARDONED = "pardoned", _("Pardoned")
    QUASHED = "quashed", _("Quashed")


class PersonStatus(models.TextChoices):
    """Where a person stands today, computed from their detentions and sentences (never stored)."""

    HELD = "held", _("Held")
    SERVING = "serving", _("Serving a sentence")
    RELEASED = "released", _("Released")
    NO_DETENTION = "none", _("No detention recorded")


class HearingKind(models.TextChoices):
    """Court sittings of a case, as Kazakh procedure names them."""

    RESTRAINT = "restraint", _("Measure of restraint (custody) hearing")
    PRELIMINARY = "preliminary", _("Preliminary hearing")
    TRIAL = "trial", _("Trial hearing")
    VERDICT = "verdict", _("Verdict announced")
    APPEAL = "appeal", _("Appeal hearing")
    CASSATION = "cassation", _("Cassation hearing")
    OTHER = "other", _("Other hearing")


class AppealInstance(models.TextChoices):
    APPEAL = "appeal", _("Appeal (regional court)")
    CASSATION = "cassation", _("Cassation (Supreme Court)")
    OTHER = "other", _("Other review")


class AppealFiledBy(models.TextChoices):
    DEFENCE = "defence", _("Defence lawyer")
    PERSON = "person", _("The person")
    PROSECUTION = "prosecution", _("Prosecution")
    OTHER = "other", _("Other")


class AppealDecision(models.TextChoices):
    """The decision on one appeal (a sentence's `appeal_outcome` summarises where its appeals stand)."""

    PENDING = "pending", _("Pending")
    UPHELD = "upheld", _("Upheld")
    REDUCED = "reduced", _("Reduced")
    INCREASED = "increased", _("Increased")
    OVERTURNED = "overturned", _("Overturned")
    SENT_BACK = "sent_back", _("Sent back for a new trial")
    WITHDRAWN = "withdrawn", _("Withdrawn")
