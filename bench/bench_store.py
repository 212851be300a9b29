"""Choose the codec of the store's `spectrograms` array, and measure reading one example.

    python bench/bench_store.py [--clips 8] [--reps 5] [--examples 40]

1. Codecs: bytes per example, write ms (Zarr's write path), read ms (Zarr's read path, and the store's direct
   `ChunkReader`), each codec with and without the crc32c checksum; `np.load` of the same array from a `.npy` file
   in the page cache as the reference. Synthetic 30-s clips (half with dolphins), the study's config (615 x 733,
   magnitude), float32 and float16, one example per chunk as in the store.
2. The store as a training loop reads it: `store[i]` at random (warm) against `np.load` of the same example, and a
   fresh process's `open_store` + first read (imports excluded), for stores of 615 and 1229 rows, each with the
   store layout's codecs (`dolphin_spectro.layout.SPECTROGRAM_CODECS`, `SMALL_CODECS`: crc32c checksums) and with
   the same codecs less crc32c, the two stores read in turn.

Every figure is a median over interleaved repetitions taken in this one run: a shared host varies by about +-20 %
between runs, so compare ratios, not absolute milliseconds.
"""
import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import zarr
from zarr.codecs import BloscCodec, Crc32cCodec, ZstdCodec

CODECS = {
    'none': [],
    'lz4 (blosc, no shuffle)': [BloscCodec(cname='lz4', clevel=5, shuffle='noshuffle')],
    'lz4 (blosc, byte shuffle)': [BloscCodec(cname='lz4', clevel=5, shuffle='shuffle')],
    'zstd 1': [ZstdCodec(level=1)],
    'zstd 3': [ZstdCodec(level=3)],
    'zstd 1 (blosc, byte shuffle)': [BloscCodec(cname='zstd', clevel=1, shuffle='shuffle')],
}


def med(v): return 1e3 * float(np.median(v))


def spectrograms(n_clips, config):
    from dolphin_spectro.spectro import spectrogram
    from dolphin_spectro.synth import synth_clip
    return np.stack([spectrogram(synth_clip(30.0, seed=k, dolphin=k % 2 == 0)[0], config) for k in range(n_clips)])


def codec_arrays(X, reps, tmp):
    "One Zarr array per (dtype, codec, checksum), written by Zarr; write times, interleaved over the arrays."
    arrays, writes = {}, {}
    for dtype in ('float32', 'float16'):
        for name, compressors in CODECS.items():
            for crc in (False, True):
                folder = tmp / f'{dtype}-{len(arrays)}.zarr'
                arr = zarr.create_array(zarr.storage.LocalStore(folder), shape=X.shape, chunks=(1, *X.shape[1:]),
                                        dtype=dtype, fill_value=0, compressors=compressors + [Crc32cCodec()] * crc)
                arrays[dtype, name, crc] = arr.with_config({'write_empty_chunks': True})
                writes[dtype, name, crc] = []
    for rep in range(max(reps, 1)):
        for i in range(len(X)):
            for (dtype, name, crc), arr in arrays.items():
                S = X[i].astype(dtype)
                t = time.perf_counter(); arr[i] = S; writes[dtype, name, crc].append(time.perf_counter() - t)
    return {k: Path(a.store.root) for k, a in arrays.items()}, writes


def bench_codecs(X, reps, tmp):
    from dolphin_spectro.chunks import ChunkReader
    arrays, writes = codec_arrays(X, max(reps // 8, 2), tmp)
    npy = {dtype: tmp / f'one-{dtype}.npy' for dtype in ('float32', 'float16')}
    for dtype, f in npy.items(): np.save(f, X[0].astype(dtype))
    zread, dread, nread = {k: [] for k in arrays}, {k: [] for k in arrays}, {d: [] for d in npy}
    opened = {k: (zarr.open_array(zarr.storage.LocalStore(f, read_only=True), mode='r'),
                  ChunkReader.of(f, json.loads((f / 'zarr.json').read_text()))) for k, f in arrays.items()}
    rng = np.random.default_rng(0)
    for _ in range(reps):  # interleaved: every codec and the .npy reference in each repetition
        for key, (arr, reader) in opened.items():
            i = int(rng.integers(len(X)))
            t = time.perf_counter(); a = arr[i]; zread[key].append(time.perf_counter() - t)
            t = time.perf_counter(); b = reader.read((i, 0, 0))[0]; dread[key].append(time.perf_counter() - t)
            assert np.array_equal(a, b) and np.array_equal(a, X[i].astype(key[0]))
            t = time.perf_counter(); np.load(npy[key[0]]); nread[key[0]].append(time.perf_counter() - t)
    print(f"{'dtype':8} {'codec':30} {'crc':3} {'MB/ex':>6} {'ratio':>5} {'write':>6} {'read Zarr':>9} "
          f"{'read direct':>11} {'/ np.load':>9}")
    raw = X[0].size * 4
    for key, folder in arrays.items():
        dtype, name, crc = key
        n_bytes = sum(f.stat().st_size for f in (folder / 'c').rglob('*') if f.is_file()) / len(X)
        print(f"{dtype:8} {name:30} {'yes' if crc else 'no':3} {n_bytes / 1e6:6.3f} {raw / n_bytes:5.2f} "
              f"{med(writes[key]):6.2f} {med(zread[key]):9.2f} {med(dread[key]):11.2f} "
              f"{med(dread[key]) / med(nread[dtype]):8.2f}x")
    print(f"np.load of one example from a .npy in the page cache: float32 {med(nread['float32']):.2f} ms, "
          f"float16 {med(nread['float16']):.2f} ms")


FRESH = """
import sys, time
import numpy as np
from dolphin_spectro.store import open_store
t = time.perf_counter()
if sys.argv[1] == 'store': s = open_store(sys.argv[2]); S, label = s[int(sys.argv[3])]
else: np.load(sys.argv[2])
print(time.perf_counter() - t)
"""


def fresh(*args):
    "Seconds a fresh process takes to read one example (imports excluded): `store PATH i` or `npy FILE`."
    r = subprocess.run([sys.executable, '-c', FRESH, *map(str, args)], capture_output=True, text=True)
    if r.returncode: sys.exit(r.stderr)
    return float(r.stdout)


@contextlib.contextmanager
def without_crc32c():
    "Stores created inside this block get the store layout's codecs less crc32c (`create_store` reads them from `store`)."
    from dolphin_spectro import store
    saved = store.SPECTROGRAM_CODECS, store.SMALL_CODECS
    drop = lambda codecs: tuple(c for c in codecs if not isinstance(c, Crc32cCodec))
    store.SPECTROGRAM_CODECS, store.SMALL_CODECS = drop(saved[0]), drop(saved[1])
    try: yield
    finally: store.SPECTROGRAM_CODECS, store.SMALL_CODECS = saved


def codec_names(store_path) -> list:
    "The codecs of a store's `spectrograms` array, as its zarr.json lists them."
    return [c['name'] for c in json.loads((Path(store_path) / 'spectrograms' / 'zarr.json').read_text())['codecs']]


def write_store(X, n_examples, out, config, dtype, crc:bool):
    "A store of `n_examples` (the clips of `X` repeated), every example done; with or without crc32c."
    import pandas as pd
    from dolphin_spectro.store import create_store
    m = pd.DataFrame(dict(path=[f'clip{i}.wav' for i in range(n_examples)], label=np.arange(n_examples) % 2))
    with contextlib.nullcontext() if crc else without_crc32c():
        st = create_store(out, m, config, dtype=dtype)
    assert ('crc32c' in codec_names(out)) == crc, codec_names(out)
    for i in range(n_examples): st.write_spectrogram(i, X[i % len(X)])
    st.update(np.arange(n_examples), status='done')


def bench_store(X, n_examples, reps, tmp, rows, dtype=None):
    """Stores of `n_examples`, with and without crc32c, read in turn: warm random reads vs np.load of the same example,
    and a fresh process's open + first read."""
    from dolphin_spectro.spectro import SpectroConfig
    from dolphin_spectro.store import open_store
    config = SpectroConfig(freq_step=2) if rows == 615 else SpectroConfig()
    outs = {crc: tmp / f'store{rows}{dtype or ""}{"crc" if crc else ""}.zarr' for crc in (True, False)}
    for crc, out in outs.items(): write_store(X, n_examples, out, config, dtype, crc)
    stores, rng = {crc: open_store(out) for crc, out in outs.items()}, np.random.default_rng(1)
    npys = []
    for i in range(n_examples):
        npys.append(tmp / f'ex{rows}{dtype or ""}-{i}.npy'); np.save(npys[-1], stores[True][i][0])
    warm, first = {crc: [] for crc in outs}, {crc: [] for crc in outs}
    npy, first_npy = [], []
    for _ in range(reps):
        for i in rng.integers(n_examples, size=20):
            for crc, s in stores.items():
                t = time.perf_counter(); S, _ = s[int(i)]; warm[crc].append(time.perf_counter() - t)
            t = time.perf_counter(); np.load(npys[int(i)]); npy.append(time.perf_counter() - t)
        for _ in range(2):
            i = int(rng.integers(n_examples))
            for crc, out in outs.items(): first[crc].append(fresh('store', out, i))
            first_npy.append(fresh('npy', npys[i]))
    print(f"{rows} rows, {stores[True].dtype.name}, {n_examples} examples; np.load of one example {med(npy):.2f} ms warm, "
          f"{med(first_npy):.2f} ms in a fresh process")
    for crc, out in outs.items():
        print(f"  codecs {'+'.join(codec_names(out)):20} store[i] warm {med(warm[crc]):.2f} ms = {med(warm[crc]) / med(npy):.2f}x "
              f"np.load (goal <= 1.5x); fresh process's open_store + first read {med(first[crc]):.2f} ms (goal < 10 ms)")


def main(n_clips=8, reps=5, n_examples=40):
    from dolphin_spectro.spectro import SpectroConfig
    tmp = Path(tempfile.mkdtemp(prefix='bench_store_'))
    try:
        X = spectrograms(n_clips, SpectroConfig(freq_step=2))
        print(f"{n_clips} synthetic 30-s clips, SpectroConfig(freq_step=2): {X.shape[1:]}, float32 raw "
              f"{X[0].nbytes / 1e6:.2f} MB per example; medians of {max(reps * 8, 20)} interleaved reads per codec, ms\n")
        bench_codecs(X, max(reps * 8, 20), tmp)
        print()
        X1229 = spectrograms(min(n_clips, 4), SpectroConfig())
        for rows, Xr in ((615, X), (1229, X1229)):
            bench_store(Xr, n_examples, reps, tmp, rows)
        bench_store(X, n_examples, reps, tmp, 615, dtype='float16')
    finally: shutil.rmtree(tmp)


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--clips', type=int, default=8, help='distinct synthetic 30-s clips')
    p.add_argument('--reps', type=int, default=5, help='interleaved repetitions (medians taken)')
    p.add_argument('--examples', type=int, default=40, help='examples in the stores of part 2 (the clips repeated)')
    a = p.parse_args()
    main(a.clips, a.reps, a.examples)
