"""Build shim for `scrapyd-deploy`, which writes its own setup.py when none exists.

Everything (packages, package data, the Scrapy entry point) comes from pyproject.toml.
"""

from setuptools import setup

setup()
