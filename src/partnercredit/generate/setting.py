"""What every generating step shares: the seed's draws, the calendar and the partners."""

from __future__ import annotations

from dataclasses import dataclass

from partnercredit.generate.draws import Draws
from partnercredit.generate.parameters import Calendar
from partnercredit.generate.partners import Partners


@dataclass(frozen=True)
class Setting:
    draws: Draws
    calendar: Calendar
    partners: Partners
