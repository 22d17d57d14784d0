"""markdown-it-py plugins for citeguide's inline markers; they know nothing of the site."""
