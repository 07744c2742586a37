"""WAV audio: the small tones the emulator makes for prompts, and the length of a file it is given.

Amazon Connect plays prompts from .wav files (8 kHz mono u-law sounds right; other encodings are
stored but play badly) of less than 50 MB and less than five minutes. `duration` reads the RIFF
header itself rather than through `wave`, which does not open u-law files, the encoding Amazon asks for.
"""

from __future__ import annotations

import io
import math
import wave

RATE = 8000  # Hz, what Connect plays


def tone(frequency: float, seconds: float, *, rate: int = RATE, volume: float = 0.3) -> bytes:
    """A sine tone as a 16-bit mono PCM WAV file: the same bytes for the same arguments."""
    frames = int(rate * seconds)
    peak = int(32767 * volume)
    samples = bytearray()
    for n in range(frames):
        value = round(peak * math.sin(2 * math.pi * frequency * n / rate))
        samples += value.to_bytes(2, "little", signed=True)
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(bytes(samples))
    return out.getvalue()


def duration(audio: bytes) -> float | None:
    """Seconds of audio in a RIFF/WAVE file (its data chunk over the format's byte rate); None if it is not one."""
    if len(audio) < 12 or audio[:4] != b"RIFF" or audio[8:12] != b"WAVE":
        return None
    position, byte_rate = 12, 0
    while position + 8 <= len(audio):
        chunk, size = audio[position : position + 4], int.from_bytes(audio[position + 4 : position + 8], "little")
        body = position + 8
        if chunk == b"fmt " and size >= 16:
            byte_rate = int.from_bytes(audio[body + 8 : body + 12], "little")
        elif chunk == b"data":
            return min(size, len(audio) - body) / byte_rate if byte_rate else None
        position = body + size + (size & 1)  # chunks are padded to an even length
    return None
