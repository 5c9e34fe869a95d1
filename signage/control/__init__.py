"""Live operation without Qt: operator commands, the clicker, the local HTTP API and its client."""
