"""Peer: rispy 0.10.0. Prints the number of records read from a RIS file.

Usage: python rispy_parse.py FILE.ris
The file is read as utf-8-sig: RIS files often start with a byte-order mark, and read as plain
utf-8 the mark stays in front of the first "TY  -" tag, so rispy silently drops the first record.
"""
import sys

import rispy

with open(sys.argv[1], encoding="utf-8-sig") as f:
    entries = rispy.load(f)
print(len(entries))
