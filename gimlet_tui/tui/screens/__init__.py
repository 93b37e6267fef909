"""Screens: the main one, and the modals over it."""
