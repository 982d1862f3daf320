"""`python -m ldt_conform` runs the CLI."""
from ldt_conform.cli import main

main()
