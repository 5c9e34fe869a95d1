"""The operator's console: a Qt window on the screen no wall uses."""
