"""Retention: how long each kind of record is kept (settings from the environment, README
"Retention"), enforced by one daily, idempotent task and shown to members on Sharing."""
