"""Choose the codec of the store's `spectrograms` array: bytes per example, write and read ms per example.

Synthetic 30-s clips (half with dolphins, half background), the study's config (615 x 733, magnitude),
float32 and float16, one example per chunk as in the store. Medians over examples, one process, one run:
compare ratios, not absolute numbers (a shared host varies by about +-20 %).

    python bench/bench_store.py [n_clips]
"""
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import zarr
from zarr.codecs import BloscCodec, ZstdCodec

from dolphin_spectro.spectro import SpectroConfig, spectrogram
from dolphin_spectro.synth import synth_clip

CODECS = {
    'none': [],
    'zstd-1': [ZstdCodec(level=1)],
    'zstd-3': [ZstdCodec(level=3)],
    'zstd-5': [ZstdCodec(level=5)],
    'blosc-lz4-shuffle': [BloscCodec(cname='lz4', clevel=5, shuffle='shuffle')],
    'blosc-zstd1-shuffle': [BloscCodec(cname='zstd', clevel=1, shuffle='shuffle')],
}


def bench(specs, dtype, compressors, folder, write_empty_chunks=True):
    "bytes, write ms, read ms per example (medians) for one codec and dtype."
    X = np.stack(specs).astype(dtype)
    arr = zarr.create_array(zarr.storage.LocalStore(folder), shape=X.shape, chunks=(1, *X.shape[1:]),
                            dtype=dtype, fill_value=0, compressors=compressors)
    arr = arr.with_config({'write_empty_chunks': write_empty_chunks})
    write = []
    for i, S in enumerate(X):
        t = time.perf_counter(); arr[i] = S; write.append(time.perf_counter() - t)
    arr = zarr.open_array(zarr.storage.LocalStore(folder, read_only=True), mode='r')
    read = []
    for i in range(len(X)):
        t = time.perf_counter(); back = arr[i]; read.append(time.perf_counter() - t)
        assert np.array_equal(back, X[i])
    n_bytes = sum(f.stat().st_size for f in (Path(folder) / 'c').rglob('*') if f.is_file())
    return n_bytes / len(X), 1e3 * np.median(write), 1e3 * np.median(read)


def main(n_clips=6):
    config = SpectroConfig(freq_step=2)
    specs = [spectrogram(synth_clip(30.0, seed=k, dolphin=k % 2 == 0)[0], config) for k in range(n_clips)]
    raw = specs[0].size * 4
    print(f"{n_clips} synthetic 30-s clips, SpectroConfig(freq_step=2): {specs[0].shape}, "
          f"float32 raw {raw / 1e6:.2f} MB per example\n")
    print(f"{'dtype':8} {'codec':22} {'MB/example':>10} {'ratio':>6} {'write ms':>9} {'read ms':>8}")
    tmp = Path(tempfile.mkdtemp())
    for dtype in ('float32', 'float16'):
        for name, compressors in CODECS.items():
            b, w, r = bench(specs, dtype, compressors, tmp / f'{dtype}-{name}.zarr')
            print(f"{dtype:8} {name:22} {b / 1e6:10.3f} {raw / b:6.2f} {w:9.2f} {r:8.2f}")
    for wec in (False, True):
        _, w, _ = bench(specs, 'float16', [ZstdCodec(level=1)], tmp / f'wec-{wec}.zarr', write_empty_chunks=wec)
        print(f"float16 zstd-1, write_empty_chunks={wec}: write {w:.2f} ms")


if __name__ == '__main__':
    main(*map(int, sys.argv[1:]))
