"""Everything that touches Qt for the walls: slides, the compositor, output windows, screens."""
