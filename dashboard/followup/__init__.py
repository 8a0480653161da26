"""Chasing the unsigned: steps, deadlines, letters, reminders and their effect (no Streamlit).

Pure Polars functions over frames the queries return; the store, access checks and
rendering to files sit in :mod:`dashboard.store.followup`, :mod:`dashboard.access.followup`
and :mod:`dashboard.followup.letters`.
"""
