"""What the sidebar and URL may choose from: regions and agencies."""

from __future__ import annotations

import polars as pl

from dashboard.store.database import Store


def regions_table(level: str) -> pl.DataFrame:
    """Regions of one level from the shipped reference file (no store needed)."""
    from dashboard.domain.regions import provinces, regencies

    return provinces() if level == "provinsi" else regencies()


def region_options(store: Store) -> pl.DataFrame:
    """Provinces and regencies/cities for the sidebar (code, name, level, province_code)."""
    return store.query("SELECT code, name, level, province_code FROM regions ORDER BY code")


def agency_options(store: Store) -> pl.DataFrame:
    """Every agency with its region, for the sidebar's agency picker and URL validation."""
    return store.query(
        """SELECT agency_id, name, short_name, level, province_code, regency_code, is_demo
           FROM agencies ORDER BY name, agency_id"""
    )
