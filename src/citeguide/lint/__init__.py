"""The editorial linter: one module per rule family, `run` applies severities.

citations: per-citation and per-guide rules; consistency: rules across guides and tables;
editorial, claims and figures: findings over the text parsing records on the Guide
(uncited figures, mixed currencies, repeated and context-dependent claims). The rule table
itself is the leaf `citeguide.rules`."""
