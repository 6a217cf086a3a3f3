"""python -m etl load|sample|pull|refresh|forget ..."""

import os
import signal
import sys

USAGE = """usage: python -m etl COMMAND ...

commands:
  load PATH     read an export folder (or zip) and publish it into the database
  sample        write a realistic sample export (generic CSV format)
  pull          fetch an export from an ATS API (greenhouse, lever)
  refresh       pull and load what changed in every source configured in the environment
  forget        erase a candidate (--candidate ID or --email ADDRESS) for good

python -m etl COMMAND --help describes each command's options."""


def main(argv: list[str]) -> int:
    os.umask(0o077)  # databases, pulled files and extracted exports hold personal data
    if hasattr(signal, "SIGXFSZ"):  # past a file-size limit, a write fails instead of killing
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "load":
        from etl.load import main as run
    elif command == "sample":
        from etl.sample import main as run
    elif command == "pull":
        from etl.pull import main as run
    elif command == "refresh":
        from etl.refresh import main as run
    elif command == "forget":
        from etl.forget import main as run
    else:
        print(f"error: unknown command {command!r}\n\n{USAGE}", file=sys.stderr)
        return 2
    return run(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
