"""Explanations: how one revenue line was credited, as data a partner or an auditor can follow."""

from partnercredit.explain.explain_line import explain_line
from partnercredit.explain.models import (
    DaysShared,
    LineExplanation,
    LinkExplanation,
    PartnerCredit,
    PartnersOnDays,
    PolicyInForce,
    ProgramExplanation,
    Span,
    SplitShare,
    Uncredited,
)
from partnercredit.messages import Message, Refused

__all__ = [
    "DaysShared",
    "LineExplanation",
    "LinkExplanation",
    "Message",
    "PartnerCredit",
    "PartnersOnDays",
    "PolicyInForce",
    "ProgramExplanation",
    "Refused",
    "Span",
    "SplitShare",
    "Uncredited",
    "explain_line",
]
