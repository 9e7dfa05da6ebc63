"""Offline checks for the lectures' "write it yourself" exercises: cu.check.NAME(fn)."""
