"""Peer: bibtexparser 1.4.3 (pyparsing-based). Prints the number of entries read from a BibTeX file.

Usage: python bibtexparser1_parse.py FILE.bib
ignore_nonstandard_types=False keeps entries of any type (the default drops unknown types), and
common_strings=True knows the month macros (jan, feb, ...), as a user importing real files would set.
"""
import sys

import bibtexparser
from bibtexparser.bparser import BibTexParser

parser = BibTexParser(common_strings=True, ignore_nonstandard_types=False)
with open(sys.argv[1], encoding="utf-8") as f:
    db = bibtexparser.load(f, parser=parser)
print(len(db.entries))
