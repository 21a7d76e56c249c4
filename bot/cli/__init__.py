"""The command line: `python -m bot ask | telegram | zalo | health | ...`."""
