"""The detector seam and the runner that feeds detectors from the store."""
