"""Fetch stage: the spiders (one generic spider, `news`)."""
