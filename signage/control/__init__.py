"""Live operation without Qt: operator overrides, commands, the local HTTP API and its client."""
