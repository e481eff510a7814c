#!/usr/bin/python3
"""Generates the bundled suites' data: cases (with gold `expected` outputs) and value lists.

    /usr/bin/python3 scripts/gen_suites.py            # rewrite suites/*/cases.jsonl etc.
    /usr/bin/python3 scripts/gen_suites.py --check    # exit 1 if the committed files differ
    /usr/bin/python3 scripts/gen_suites.py --seed 7 --out /tmp/suites   # another draw

Every case is generated from its gold answer first; the input text (the invoice document, the
clinical note, the support ticket, the incident notes) is then written from that gold, so the
gold is right by construction. The output is a pure function of --seed (default 20241127):
same seed, byte-identical files. Standard library only.

Written files (relative to --out, default: the repository's suites/ folder):
  invoice/cases.jsonl, invoice/currencies.txt, invoice/countries.txt
  medical-coding/cases.jsonl, medical-coding/codes.txt, medical-coding/catalog.tsv
  ticket-triage/cases.jsonl, ticket-triage/categories.txt, ticket-triage/tags.txt
  incident-report/cases.jsonl
The schemas, suite.yaml files, prompts and READMEs are hand-written and not touched here.
"""

import argparse
import filecmp
import json
import os
import random
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gen_suites_incident  # noqa: E402
import gen_suites_invoice  # noqa: E402
import gen_suites_medical  # noqa: E402
import gen_suites_ticket  # noqa: E402

DEFAULT_SEED = 20241127

# (folder, module, seed offset). The offset keeps each suite's draw independent of the others,
# so adding cases to one suite does not reshuffle the rest.
SUITES = [
    ("invoice", gen_suites_invoice, 1),
    ("medical-coding", gen_suites_medical, 2),
    ("ticket-triage", gen_suites_ticket, 3),
    ("incident-report", gen_suites_incident, 4),
]


def write_text(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def jsonl(cases):
    return "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases)


def check_cases(folder, cases):
    """Sanity checks every suite must pass; raises on a generator bug."""
    ids = [c["id"] for c in cases]
    if len(ids) != len(set(ids)):
        raise SystemExit(f"{folder}: duplicate case ids")
    if len(cases) < 50:
        raise SystemExit(f"{folder}: only {len(cases)} cases (the contract asks for 50+)")
    rendered = set()
    for c in cases:
        if set(c) != {"id", "vars", "expected", "tags"} or not c["tags"]:
            raise SystemExit(f"{folder}: case {c['id']} lacks a field or tags")
        key = json.dumps(c["vars"], sort_keys=True)
        if key in rendered:  # the mock endpoint answers by rendered prompt: inputs must differ
            raise SystemExit(f"{folder}: case {c['id']} repeats another case's vars")
        rendered.add(key)


def generate(out_dir, seed):
    for folder, module, offset in SUITES:
        rng = random.Random(seed * 1000 + offset)
        files = module.generate(rng)  # {relative name: text or list of cases}
        for name, content in files.items():
            if name == "cases.jsonl":
                check_cases(folder, content)
                content = jsonl(content)
            write_text(os.path.join(out_dir, folder, name), content)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.normpath(os.path.join(here, "..", "suites"))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--out", default=default_out, help="suites folder to write (default: %(default)s)")
    ap.add_argument("--check", action="store_true",
                    help="generate into a temporary folder and compare with --out; exit 1 on a difference")
    args = ap.parse_args()
    if not args.check:
        generate(args.out, args.seed)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        generate(tmp, args.seed)
        stale = []
        for root, _, names in os.walk(tmp):
            for n in names:
                rel = os.path.relpath(os.path.join(root, n), tmp)
                theirs = os.path.join(args.out, rel)
                if not os.path.exists(theirs) or not filecmp.cmp(os.path.join(root, n), theirs, shallow=False):
                    stale.append(rel)
        for rel in sorted(stale):
            print(f"gen_suites: {rel} differs from the generator's output (seed {args.seed})", file=sys.stderr)
        return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
