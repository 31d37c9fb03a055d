"""A profile: a district's (or reviewer's) overrides of rule parameters and forces."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Profile:
    name: str
    parameters: dict = field(default_factory=dict)  # rule id -> {parameter: value}
    forces: dict = field(default_factory=dict)  # rule id -> force
    source: str = ""

    def parameters_for(self, rule) -> dict:
        return dict(self.parameters.get(rule.id, {}))

    def force_for(self, rule) -> str | None:
        return self.forces.get(rule.id)

    def overrides(self) -> list[str]:
        """Each override as ``RULE.parameter=value`` or ``RULE.force=value``, sorted."""
        lines = [f"{rule}.{name}={value}" for rule, params in self.parameters.items() for name, value in params.items()]
        lines += [f"{rule}.force={force}" for rule, force in self.forces.items()]
        return sorted(lines)
