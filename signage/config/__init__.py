"""Loading and validating the hall configuration and playlists (no Qt)."""
