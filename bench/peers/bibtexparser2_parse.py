"""Peer: bibtexparser 2.0.0b8 (the rewrite, its own virtualenv). Prints the number of entries read.

Usage: python bibtexparser2_parse.py FILE.bib
Blocks it could not parse (failed_blocks) and duplicate keys are counted on standard error.
"""
import sys

import bibtexparser

library = bibtexparser.parse_file(sys.argv[1], encoding="utf-8")
print(len(library.entries))
failed = library.failed_blocks
if failed:
    kinds = {}
    for b in failed:
        kinds[type(b).__name__] = kinds.get(type(b).__name__, 0) + 1
    print(f"bibtexparser2: {len(failed)} failed blocks: {kinds}", file=sys.stderr)
