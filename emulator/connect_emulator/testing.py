"""Pytest fixtures for the emulator (filled in by the emulator work)."""
