"""Time `spectrogram` against `librosa.stft` + `np.abs` on a synthetic 30-s clip, one core.

Run: python bench/bench_spectro.py [--reps 15]
Prints the median ms per clip of each method over interleaved repetitions, the ratios to librosa, and the
largest absolute difference from librosa's result relative to its peak. Compare only ratios from one run:
a shared host varies by about ±20 % between runs.
"""
import os
for var in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'NUMBA_NUM_THREADS'):
    os.environ[var] = '1'  # one core, before numpy/scipy/librosa are imported

import argparse
import time

import librosa
import numpy as np

from dolphin_spectro.spectro import SpectroConfig, spectrogram
from dolphin_spectro.synth import synth_clip


def methods(y):
    "name → (function of y, the librosa rows it must equal)."
    full = slice(820, None)
    return {
        'librosa.stft + abs': (lambda: np.abs(librosa.stft(y, n_fft=4096, hop_length=2048, window='hann'))[full], full),
        'spectrogram (defaults)': (lambda: spectrogram(y), full),
        'spectrogram (freq_step=2)': (lambda: spectrogram(y, SpectroConfig(freq_step=2)), slice(820, None, 2)),
    }


def main(reps=15):
    y, sr, _ = synth_clip(30.0, 50_000, seed=0)
    ms = methods(y)
    ref = np.abs(librosa.stft(y, n_fft=4096, hop_length=2048, window='hann'))
    times = {name: [] for name in ms}
    for f, _ in ms.values(): f()  # warm up
    for _ in range(reps):  # interleaved: each repetition times every method once
        for name, (f, _) in ms.items():
            t = time.perf_counter(); f(); times[name].append(time.perf_counter() - t)
    base = np.median(times['librosa.stft + abs'])
    print(f"30.0-s clip at {sr} Hz, n_fft=4096, hop=2048, one core, median of {reps} interleaved runs")
    for name, (f, rows) in ms.items():
        med = np.median(times[name])
        diff = np.abs(f() - ref[rows]).max() / ref.max()
        print(f"{name:28s} {1e3 * med:7.2f} ms   {base / med:5.2f}× librosa   max |diff| / peak {diff:.1e}")


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--reps', type=int, default=15, help='interleaved repetitions (median taken)')
    main(p.parse_args().reps)
