"""The engine: one Site that knows which outputs depend on which inputs, used by
`build` (cache in build/), `serve` (in memory) and `lint` (nothing written)."""
