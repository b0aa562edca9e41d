"""Checks that files are already formatted the way black >= 24 (and ruff format) leaves them.

Runs Debian's black 23.1 with the two preview features that black 24 made stable and that
generated models can reach: "prefer splitting the right-hand side of assignments" and lowercase
hex escapes. Prints a unified diff per file that would change; exits 1 if any would.

Usage: python3 black_check.py FILE...
"""

import difflib
import sys

import black
from black.mode import Mode, Preview

STABLE_IN_24 = {Preview.prefer_splitting_right_hand_side_of_assignments, Preview.hex_codes_in_unicode_sequences}


class Black24Mode(Mode):
    def __contains__(self, feature):  # type: ignore[override]
        return feature in STABLE_IN_24


def main(paths):
    mode = Black24Mode(preview=True, target_versions={black.TargetVersion.PY310})
    changed = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            src = f.read()
        try:
            dst = black.format_file_contents(src, fast=False, mode=mode)
        except black.NothingChanged:
            continue
        changed += 1
        sys.stdout.writelines(difflib.unified_diff(src.splitlines(True), dst.splitlines(True), path, path + " (black)"))
    print(f"{len(paths) - changed} unchanged, {changed} would be reformatted")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
