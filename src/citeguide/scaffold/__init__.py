"""Files `citeguide init` and `citeguide new` write: a site root's skeleton and a guide."""
