"""`python -m extractor`: the same command line as the `extractor` script."""

from .cli import main

if __name__ == "__main__":
    main()
