"""Rejection messages as an engine expression, for the messages of many rows at once."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from partnercredit.messages import CATALOG, PLACEHOLDER, Language


def message_column(
    code: ir.StringValue, params: dict[str, ir.Value], language: Language = "en"
) -> ir.StringValue:
    """`render` as an engine expression, for messages of many rows at once."""
    branches = []
    for name, texts in CATALOG.items():
        parts: list[ir.StringValue] = []
        position = 0
        template = texts[language]
        for match in PLACEHOLDER.finditer(template):
            if match.start() > position:
                parts.append(ibis.literal(template[position : match.start()]))
            parts.append(params[match.group(1)].cast("string").fill_null(""))
            position = match.end()
        if position < len(template):
            parts.append(ibis.literal(template[position:]))
        text = parts[0]
        for part in parts[1:]:
            text = text.concat(part)
        branches.append((code == name, text))
    return ibis.cases(*branches, else_=code)
