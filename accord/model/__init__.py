"""The data model: FtM entities as statements, markings, datasets, findings."""
