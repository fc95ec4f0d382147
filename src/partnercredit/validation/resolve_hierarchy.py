"""Partner parent chains: who lies on a cycle, whose chain is broken, and every root.

The partner table is small next to revenue (one row per partner location), so the chains are
followed in memory; each partner is visited once.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Hierarchy:
    roots: dict[str, str] = field(default_factory=dict)
    """Every partner whose chain ends at a top partner, mapped to that top partner."""
    cyclic: set[str] = field(default_factory=set)
    """Partners that lie on a parent cycle."""
    broken: set[str] = field(default_factory=set)
    """Partners whose chain reaches a missing or rejected partner, or a cycle."""


def resolve_hierarchy(parents: dict[str, str | None]) -> Hierarchy:
    """Follow every partner's parent chain (`parents` holds the partners that passed the
    earlier checks; a parent outside it is missing or rejected)."""
    result = Hierarchy()
    for start in parents:
        path: list[str] = []
        position: dict[str, int] = {}
        node = start
        root: str | None = None
        while True:
            if node in result.roots:
                root = result.roots[node]
                break
            if node in result.cyclic or node in result.broken or node not in parents:
                break
            if node in position:
                result.cyclic.update(path[position[node] :])
                del path[position[node] :]
                break
            position[node] = len(path)
            path.append(node)
            parent = parents[node]
            if parent is None:
                root = node
                break
            node = parent
        if root is None:
            result.broken.update(path)
        else:
            result.roots.update(dict.fromkeys(path, root))
    return result
