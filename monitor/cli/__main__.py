"""`python -m monitor.cli`: the `newsmon` command."""
from monitor.cli import main

main()
