"""How fast `dolphin-spectro --help` answers, and what it imports.

    python bench/bench_cli.py [--reps 11]

Each command runs in a fresh process, as a user types it; the runs are interleaved (one of each per repetition) and
each figure is the median wall time, then its excess over the interpreter alone:
  python -c pass                          the interpreter alone: the floor of every command
  dolphin-spectro --help                  the bare help (the parser of every subcommand, none of their arguments)
  dolphin-spectro COMMAND --help          each subcommand's help (demo, segment, split, build, info): its defaults
                                          are read from the source of SpectroConfig and the functions it calls
Then the modules `dolphin-spectro build --help` imports beyond the interpreter's own, with their cumulative import
time (`python -X importtime`), largest first. A shared host varies by about +-20 % between runs: compare within a run.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np


def command(args:list) -> list:
    "The console script if it is installed beside this interpreter, else the module."
    exe = shutil.which('dolphin-spectro', path=str(Path(sys.executable).parent)) or shutil.which('dolphin-spectro')
    return ([exe] if exe else [sys.executable, '-m', 'dolphin_spectro.cli']) + args


def timed(argv:list) -> float:
    t = time.perf_counter()
    r = subprocess.run(argv, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return time.perf_counter() - t


def imports(argv_code:str, top:int) -> list:
    "(module, cumulative ms) of the `top` slowest imports of running `argv_code`, beyond `python -c pass`."
    def table(code):
        err = subprocess.run([sys.executable, '-X', 'importtime', '-c', code], capture_output=True, text=True).stderr
        rows = [re.match(r'import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)', line) for line in err.splitlines()]
        return {m[3]: int(m[1]) / 1e3 for m in rows if m and len(m[2]) <= 1}  # top-level imports only
    base = table('pass')
    return sorted(((k, v) for k, v in table(argv_code).items() if k not in base), key=lambda kv: -kv[1])[:top]


COMMANDS = ('demo', 'segment', 'split', 'build', 'info')  # the parser's subcommands, in its order


def main(reps:int):
    runs = {'python -c pass': [sys.executable, '-c', 'pass'], 'dolphin-spectro --help': command(['--help']),
            **{f'dolphin-spectro {c} --help': command([c, '--help']) for c in COMMANDS}}
    times = {k: [] for k in runs}
    for _ in range(reps):
        for k, argv in runs.items(): times[k].append(timed(argv))
    floor = np.median(times['python -c pass'])
    print(f"medians of {reps} interleaved runs ({os.cpu_count()} cores; {sys.version.split()[0]}), and beyond the interpreter:")
    for k, v in times.items(): print(f"  {k:32} {1e3 * np.median(v):7.0f} ms  {1e3 * (np.median(v) - floor):+7.0f} ms")
    help_code = "import sys\nfrom dolphin_spectro.cli import main\ntry: main(['build', '--help'])\nexcept SystemExit: pass"
    print("slowest imports of `dolphin-spectro build --help` beyond the interpreter's (cumulative ms):")
    for name, ms in imports(help_code, 8): print(f"  {name:32} {ms:7.1f}")


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--reps', type=int, default=11)
    main(p.parse_args().reps)
