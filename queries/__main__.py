"""python -m queries report [options]  |  python -m queries figures (the catalogue, as Markdown)"""

import sys

from queries.report import main as report_main

USAGE = ("usage: python -m queries report [--format json|markdown] [options]  (--help for all)\n"
         "       python -m queries figures")


def main(argv: list[str]) -> int:
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
