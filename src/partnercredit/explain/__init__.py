"""Explanations: how one revenue line was credited, as data a partner or an auditor can follow."""

from partnercredit.explain.explain_line import explain_line
from partnercredit.explain.models import (
    LineExplanation,
    LinkExplanation,
    PartnerCredit,
    ProgramExplanation,
    Span,
    Uncredited,
)
from partnercredit.messages import Message, Refused

__all__ = [
    "LineExplanation",
    "LinkExplanation",
    "Message",
    "PartnerCredit",
    "ProgramExplanation",
    "Refused",
    "Span",
    "Uncredited",
    "explain_line",
]
