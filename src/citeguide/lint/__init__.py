"""The editorial linter: one module per rule family, `runner` applies severities.

citations: per-citation and per-guide rules; claim_rules: repeated and context-dependent
claims; consistency: rules across guides and tables; editorial (with figures, names,
currencies and arithmetic): findings over the text blocks parsing records on the Guide
(uncited figures, mixed currencies, hand arithmetic). The rule table itself is the leaf
`citeguide.rules`."""
