"""Provinces and regencies/cities (Kemendagri codes, digits only: "17", "1706")."""

from __future__ import annotations

import pandera.polars as pa

from schemas.vocab import REGION_LEVELS


class Regions(pa.DataFrameModel):
    code: str = pa.Field(unique=True, str_matches=r"^\d{2}(\d{2})?$")
    name: str = pa.Field(str_length={"min_value": 2})
    level: str = pa.Field(isin=REGION_LEVELS)
    province_code: str = pa.Field(str_matches=r"^\d{2}$")
    capital: str = pa.Field(nullable=True)
    lat: float = pa.Field(ge=-11.5, le=6.5)
    lon: float = pa.Field(ge=94.0, le=141.5)
    area_km2: float = pa.Field(nullable=True, ge=0)
    population: int = pa.Field(nullable=True, ge=0)

    class Config:
        strict = True
        coerce = True


class RegionAliases(pa.DataFrameModel):
    """Normalised spelling -> region code; several spellings per region."""

    alias: str = pa.Field(str_length={"min_value": 1})
    code: str = pa.Field(str_matches=r"^\d{2}(\d{2})?$")
    level: str = pa.Field(isin=REGION_LEVELS)

    class Config:
        strict = True
        coerce = True
