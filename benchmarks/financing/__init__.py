"""Quality and speed of ``accord.financing`` against a plain LightGBM baseline."""
