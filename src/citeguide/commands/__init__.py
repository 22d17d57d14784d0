"""The commands: thin callers of the engine, one module per command."""
