"""Time the explorer's redraw per control change on a synthetic 30-s clip, today's code against an earlier commit's.

Run: python bench/bench_explorer.py [--reps 5] [--before REV]

Each repetition builds a fresh explorer (empty caches) over a 30-s clip with four whistles and two click trains
(`synth_clip(30.0, sr=50_000, n_whistles=4, n_click_trains=2, seed=3)`) and makes the same changes a person makes:
n_fft 4096 -> 512, window -> blackman, A/B -> B, B's n_fft 8192 -> 1024, display dB -> PCEN -> dB, A/B -> A.
A change is timed from setting the control to the end of its callbacks (new table and new PNG ready), in the
kernel; the browser's own drawing is not included. The two versions run interleaved, a repetition of each in
turn, and the medians over repetitions are printed per change, with the ratio before / after. Compare only figures
from one run: a shared host varies by about ±20 % between runs.

--before REV: the commit whose `dolphin_spectro/compare.py` is the baseline (default 7687495, the explorer
before its per-config cache, pooling before the display scale, and in-place figure); its module is loaded from
`git show` beside today's package. Without git or that commit the baseline is skipped.
"""
import os
for var in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'NUMBA_NUM_THREADS'):
    os.environ[var] = '1'  # one core, before numpy/scipy/librosa are imported
os.environ.setdefault('MPLBACKEND', 'Agg')

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dolphin_spectro import explore
from dolphin_spectro.synth import synth_clip

ROOT = Path(__file__).resolve().parent.parent
BEFORE = '7687495'


def load_before(rev):
    "The `compare` module (then home of the explorer) as it was at `rev`, or None (with the reason printed) when git cannot give it."
    try:
        src = subprocess.run(['git', 'show', f'{rev}:dolphin_spectro/compare.py'], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        print(f'baseline skipped: git show {rev}:dolphin_spectro/compare.py failed ({e})')
        return None
    path = Path(tempfile.mkdtemp()) / f'compare_{rev}.py'
    path.write_text(src)
    spec = importlib.util.spec_from_file_location(f'dolphin_spectro.compare_{rev}', path)  # its imports are relative
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def steps(ui):
    "(name, control, value) of the changes timed, with the control names of either version."
    display = ui.display if hasattr(ui, 'display') else ui.scale  # 'scale' before the display scale was renamed
    return [('n_fft 4096 -> 512', ui.n_fft, 512), ('window -> blackman', ui.window, 'blackman'), ('A/B -> B', ui.ab, 'B'),
            ("B's n_fft 8192 -> 1024", ui.n_fft, 1024), ('display dB -> PCEN', display, 'PCEN'),
            ('display PCEN -> dB', display, 'dB'), ('A/B -> A', ui.ab, 'A')]


def one_run(module, clip):
    "Seconds per change of a fresh explorer of `module`, in the order of `steps`."
    y, sr, events = clip
    ui = module.explore(y, sr, events=events)
    out = []
    for _, control, value in steps(ui):
        t = time.perf_counter()
        control.value = value
        out.append(time.perf_counter() - t)
    return out


def main(reps=5, before=BEFORE):
    clip = synth_clip(30.0, sr=50_000, n_whistles=4, n_click_trains=2, snr_db=10.0, seed=3)
    versions = {'today': explore}
    old = load_before(before)
    if old is not None: versions[f'at {before}'] = old
    for module in versions.values(): one_run(module, clip)  # warm up: imports, caches of scipy and matplotlib
    runs = {name: [] for name in versions}
    for _ in range(reps):  # interleaved: each repetition runs every version once
        for name, module in versions.items(): runs[name].append(one_run(module, clip))
    names = [name for name, _, _ in steps(explore.explore(*clip[:2]))]
    print(f'explorer redraw per control change, 30-s clip at 50 kHz, {len(clip[2])} events; '
          f'median of {reps} interleaved repetitions, s')
    print(f"{'change':26s}" + ''.join(f'{v:>16s}' for v in versions) + ('    before/after' if len(versions) > 1 else ''))
    med = {v: [statistics.median(r[i] for r in runs[v]) for i in range(len(names))] for v in versions}
    for i, name in enumerate(names):
        row = [med[v][i] for v in versions]
        print(f'{name:26s}' + ''.join(f'{m:16.3f}' for m in row) + (f'{row[1] / row[0]:16.1f}' if len(row) > 1 else ''))
    worst = {v: max(med[v]) for v in versions}
    print(f"{'slowest change':26s}" + ''.join(f'{worst[v]:16.3f}' for v in versions))


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--reps', type=int, default=5, help='repetitions of each version (default 5)')
    p.add_argument('--before', default=BEFORE, help=f'baseline commit (default {BEFORE})')
    a = p.parse_args()
    sys.exit(main(a.reps, a.before))
