"""The bulletin crawler: finds human-rights news on Kazakh outlets and turns it into a bulletin."""

__version__ = "0.1.0"
