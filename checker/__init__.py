"""renovcheck: a rules-as-code checker for Chapter 7 of the Beijing old-community renovation guide."""

__version__ = "0.1.0"
