"""``python -m sellerdx``: the same command as ``sellerdx`` (for when the script is not on PATH)."""

from sellerdx.cli import main

if __name__ == "__main__":  # pragma: no cover
    main(prog_name="sellerdx")
