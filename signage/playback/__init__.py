"""Time-addressed playback (pure, no Qt): which step of which playlist shows at ``now``."""
