"""`python -m listparse` runs the command line."""

from .cli import main

main(prog_name="listparse")
