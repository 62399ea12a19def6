"""Peer: pybtex 0.26.1. Prints the number of entries read from a BibTeX file.

Usage: python pybtex_parse.py FILE.bib
Strict mode is switched off, so a duplicate key or a repeated field is reported as a warning
(and the later copy dropped) instead of aborting the whole file.
"""
import sys

import pybtex.errors
from pybtex.database import parse_file

pybtex.errors.set_strict_mode(False)
data = parse_file(sys.argv[1], bib_format="bibtex")
print(len(data.entries))
