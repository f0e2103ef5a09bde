"""Run one command and write its wall time, its own peak RSS and its exit code to a file.

    python -S benchmarks/child.py RESULT_FILE COMMAND...

Why a separate small process: on Linux a child's ru_maxrss starts from its parent's RSS at fork
(exec keeps the high-water mark), so a command forked straight from the benchmark runner (which
holds hundreds of MB after the in-process scans) would report the runner's memory, not its own.
Forked from this ~10 MB process instead, the figure is the command's own (10 MB is its floor).
"""

import os
import sys
import time


def main() -> None:
    result_file, command = sys.argv[1], sys.argv[2:]
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    with open(result_file, "w") as handle:
        handle.write(f"{elapsed:.6f} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}\n")


if __name__ == "__main__":
    main()
