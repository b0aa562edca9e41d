"""Compiles (and optionally imports) generated model packages, one line of JSON per package.

Usage: python3 corpus_check.py [--import] PACKAGE_DIR...

Each PACKAGE_DIR holds __init__.py, _generated.py and operations.py. Every file is compiled; with
--import the package is imported under a unique name (so thousands of packages can be checked in
one process). Output: {"dir": ..., "compile": null | "error", "import": null | "error"}.
"""

import importlib.util
import json
import os
import sys
import traceback


def check(directory, do_import, index):
    result = {"dir": directory, "compile": None, "import": None}
    for name in ("_generated.py", "operations.py", "__init__.py"):
        path = os.path.join(directory, name)
        try:
            with open(path, encoding="utf-8") as f:
                compile(f.read(), path, "exec")
        except Exception as e:  # noqa: BLE001 - any failure is a finding
            result["compile"] = f"{name}: {type(e).__name__}: {e}"
            return result
    if do_import:
        package = f"corpus_pkg_{index}"
        try:
            spec = importlib.util.spec_from_file_location(package, os.path.join(directory, "__init__.py"), submodule_search_locations=[directory])
            module = importlib.util.module_from_spec(spec)
            sys.modules[package] = module
            spec.loader.exec_module(module)
            importlib.import_module(f"{package}.operations")
        except BaseException as e:  # noqa: BLE001
            last = traceback.extract_tb(e.__traceback__)[-1]
            result["import"] = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''} ({os.path.basename(last.filename)}:{last.lineno})"[:400]
        finally:
            for key in [k for k in sys.modules if k == package or k.startswith(package + ".")]:
                del sys.modules[key]
    return result


def main(argv):
    do_import = "--import" in argv
    dirs = [a for a in argv if not a.startswith("--")]
    if len(dirs) == 1 and dirs[0] == "-":
        dirs = [line.strip() for line in sys.stdin if line.strip()]
    for i, d in enumerate(dirs):
        print(json.dumps(check(d, do_import, i)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
