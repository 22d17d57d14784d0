"""The editorial linter: one module per rule family, `run` applies severities.

rules: the registry of rule ids; citations: per-citation and per-guide rules;
consistency: rules across guides and tables; editorial and figures: findings made while
parsing (uncited figures, mixed currencies, context-dependent claims)."""
