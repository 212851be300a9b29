"""Peak memory of reading clips of a long recording: `load_audio(path, start=..., end=...)` on a synthetic 1-hour
96 kHz recording (16-bit WAV, 691 MB) against loading the whole hour, and of `segment` listing its clips.

    python bench/bench_audio.py [--seconds 3600] [--sr 96000] [--clip 30] [--dir DIR] [--keep] [--no-whole]

Each measurement runs in a fresh interpreter and reports its own peak resident memory (`ru_maxrss`), so one
measurement's allocations never count in another's:
  imports     numpy, soundfile, soxr and dolphin_spectro.audio imported, nothing read: the floor of every child
  one clip    one 30-s clip from the middle of the hour, resampled to 50 kHz
  every clip  all 120 clips of the hour, one after the other (median ms per clip too)
  30-s file   a separate 30-s 96 kHz file loaded whole: what one clip costs when it is its own file
  segment     `segment` over the recording and its Raven table (headers only, no audio decoded)
  whole hour  the hour loaded whole and resampled (skipped with --no-whole); it also checks that three clips read
              alone equal the same spans of the whole resampled hour (max |difference| / peak)
The recording comes from `recordings.synth_recording` (written block by block) with its Raven table; the writing
process's own peak is reported too.
"""
import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()


def child(*args):
    "Run this script as `--child ARGS` in a fresh interpreter and return its JSON output."
    r = subprocess.run([sys.executable, str(HERE), '--child', *map(str, args)], capture_output=True, text=True)
    if r.returncode: sys.exit(f"child {args[0]} failed:\n{r.stderr}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def peak_mb():
    "This process's peak resident memory so far (MB; Linux reports KiB)."
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(what, folder, seconds, clip):
    "One measurement in this (fresh) process; prints its JSON result."
    import numpy as np
    import soundfile as sf
    import soxr  # noqa: F401  (imported by dolphin_spectro.audio: part of the floor)
    from dolphin_spectro.audio import load_audio
    folder = Path(folder)
    hour, out = folder / 'hour.wav', {}
    if what == 'write':
        from dolphin_spectro.recordings import synth_recording, write_raven_table
        t = time.perf_counter()
        sel = synth_recording(hour, seconds, int(sys.argv[-1]), seed=0)
        write_raven_table(sel, folder / 'hour.Table.1.selections.txt')
        sf.write(folder / 'clip30.wav', sf.read(hour, frames=round(30 * sf.info(hour).samplerate), dtype='int16')[0],
                 sf.info(hour).samplerate, subtype='PCM_16')
        out = dict(seconds_to_write=time.perf_counter() - t, selections=len(sel))
    elif what == 'one':
        y, _ = load_audio(hour, start=seconds / 2, end=seconds / 2 + clip)
        out = dict(samples=len(y))
    elif what == 'every':
        times = []
        for s in np.arange(0, seconds - clip + 1e-9, clip):
            t = time.perf_counter()
            load_audio(hour, start=float(s), end=float(s) + clip)
            times.append(time.perf_counter() - t)
        out = dict(clips=len(times), ms_per_clip=1e3 * float(np.median(times)))
    elif what == 'file30':
        y, _ = load_audio(folder / 'clip30.wav')
        out = dict(samples=len(y))
    elif what == 'segment':
        from dolphin_spectro.segment import segment
        t = time.perf_counter()
        clips = segment(hour, clip_seconds=clip, annotations=folder / 'hour.Table.1.selections.txt')
        out = dict(clips=len(clips), positive=int(clips.label.sum()), seconds=time.perf_counter() - t)
    elif what == 'whole':
        y, sr = load_audio(hour)
        peak = np.abs(y).max()
        errs = [float(np.abs(load_audio(hour, start=s, end=s + clip)[0] - y[round(s * sr):round((s + clip) * sr)]).max() / peak)
                for s in (0.0, seconds / 2 + 0.123, seconds - clip)]
        out = dict(samples=len(y), max_error_vs_peak=max(errs))
    print(json.dumps({**out, 'peak_mb': peak_mb()}))


def main():
    if sys.argv[1:2] == ['--child']:
        return run_child(sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5]))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--seconds', type=float, default=3600.0)
    p.add_argument('--sr', type=int, default=96_000)
    p.add_argument('--clip', type=float, default=30.0)
    p.add_argument('--dir', help='where to write the recording (default: a temporary folder)')
    p.add_argument('--keep', action='store_true', help='keep the recording')
    p.add_argument('--no-whole', action='store_true', help='skip loading the whole hour')
    a = p.parse_args()
    folder = Path(a.dir or tempfile.mkdtemp(prefix='bench_audio_'))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        common = (folder, a.seconds, a.clip)
        write = child('write', *common, a.sr)
        size = (folder / 'hour.wav').stat().st_size / 1e6
        res = {'imports': child('imports', *common), 'one clip': child('one', *common),
               'every clip': child('every', *common), '30-s file': child('file30', *common),
               'segment': child('segment', *common)}
        if not a.no_whole: res['whole hour'] = child('whole', *common)
        print(f"recording: {a.seconds:g} s at {a.sr} Hz, 16-bit, {size:.0f} MB, {write['selections']} selections; "
              f"written in {write['seconds_to_write']:.0f} s with a peak of {write['peak_mb']:.0f} MB")
        floor = res['imports']['peak_mb']
        for name, r in res.items():
            extra = {k: (round(v, 6) if isinstance(v, float) else v) for k, v in r.items() if k != 'peak_mb'}
            print(f"  {name:<11} peak {r['peak_mb']:7.0f} MB  (+{r['peak_mb'] - floor:6.0f} MB over the imports)  {extra}")
    finally:
        if not a.keep: shutil.rmtree(folder)


if __name__ == '__main__':
    main()
