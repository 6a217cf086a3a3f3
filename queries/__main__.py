"""python -m queries report|call-list|deliver [options]  |  python -m queries figures"""

import importlib
import sys

from queries.report import main as report_main

USAGE = ("usage: python -m queries report|call-list|deliver [options]  (--help for all)\n"
         "       python -m queries figures   (the catalogue of figures, as Markdown)")


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("call-list", "deliver"):
        command = importlib.import_module(f"queries.{argv[0].replace('-', '_')}")
        return command.main(argv[1:])
    if argv[:1] == ["figures"]:
        from queries.catalogue import markdown
        print(markdown())
        return 0
    if not argv or argv[0] != "report":
        print(USAGE, file=sys.stderr)
        return 2
    return report_main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
