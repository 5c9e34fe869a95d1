"""Sound: one wall's clips on the hall's speakers, in sync with the pictures (no Qt).

``plan`` turns what a wall shows into cues on the monotonic clock (pure), ``decoder`` reads a
clip's audio with PyAV, ``output`` talks to the sound server (PulseAudio or PipeWire's Pulse
service), ``engine`` is the thread that mixes cues and feeds the output against its reported
latency, and ``hall`` is what the player holds (``Player.audio``): runner hooks, mute, volume.
"""

RATE = 48000  # samples a second, per channel
CHANNELS = 2
