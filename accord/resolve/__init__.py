"""Resolution and graph: linking entities across sources."""
