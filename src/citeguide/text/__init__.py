"""Text and URL helpers every layer reads with: sentences, URL forms, text fragments,
address safety. They import only the leaf modules (`safeio`, `untrusted`)."""
