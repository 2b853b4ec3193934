"""Writes to cases that touch more than one row. One module per concern; import from here.

- `detentions`: recording a detention, changing one, recording an assembly's detainees all-or-none;
- `legal_cases`: opening and changing a case with its charges and sentences;
- `sentences`: keeping each sentence's credit, end and appeal deadline true;
- `merge`: folding two records of one person into one;
- `urgent_alerts`: mailing each urgent item once to the monitors and lawyers who may see it;
- `erasure`: the one hard delete, of a person and what exists only because of them, for a legal request.
"""

from cases.services.detentions import (
    AssemblyRowError,
    assembly_detentions_record,
    detention_record,
    detention_update,
)
from cases.services.erasure import Erasure, ErasureError, person_erase
from cases.services.legal_cases import legal_case_create, legal_case_update
from cases.services.merge import PersonMergeError, person_merge
from cases.services.sentences import detention_custody_changed, legal_case_recompute, sentence_recompute
from cases.services.urgent_alerts import UrgentAlertRun, urgent_alerts_send

__all__ = [
    "AssemblyRowError",
    "Erasure",
    "ErasureError",
    "PersonMergeError",
    "UrgentAlertRun",
    "assembly_detentions_record",
    "detention_custody_changed",
    "detention_record",
    "detention_update",
    "legal_case_create",
    "legal_case_recompute",
    "legal_case_update",
    "person_erase",
    "person_merge",
    "sentence_recompute",
    "urgent_alerts_send",
]
