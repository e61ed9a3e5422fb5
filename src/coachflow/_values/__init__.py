"""The base layer: what an engagement is made of.

Values and their validators, events, errors, calendar arithmetic, the command names,
the permission policy, messages and the names people read. Imports nothing from the
layers above it.
"""
