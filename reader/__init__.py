"""reader: story clusters of news articles, read by keyboard in the terminal."""

__version__ = "0.1.0"
