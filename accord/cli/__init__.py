"""The ``accord`` command line: parse, call the service, render."""
