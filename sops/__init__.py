"""SOP documents -> the structured `SopDocument` model (no Flask, no database)."""
