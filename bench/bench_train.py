"""Does the loader keep up? Training throughput of the reference CNN reading from the Zarr store vs the same examples in memory.

40 synthetic 30-s clips (half with dolphins), stores at 615 and 1229 rows (the study's n_fft 4096, hop 2048), read in
dB by `experiment.InputTransform`, batches of 16 through a torch DataLoader with 2 worker processes (persistent,
`EpochSampler` order). For each store, the same examples are also read once into a list of arrays and served by the
same loader from memory. Per epoch: the loader alone (examples/s), and a training epoch (load + forward + backward +
step). Medians of interleaved repetitions in one run after a warm-up epoch; the store's share of a training epoch is
(store - memory) / store. A shared host varies by about +-20 %: compare ratios, not absolute numbers.

    python bench/bench_train.py [--clips 40] [--reps 5] [--workers 2]
"""
import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import soundfile as sf
import torch

from dolphin_spectro.build import build_store
from dolphin_spectro.experiment import EpochSampler, InputTransform, make_loader, reference_cnn
from dolphin_spectro.spectro import SpectroConfig
from dolphin_spectro.store import open_store
from dolphin_spectro.synth import synth_clip


class InMemory:
    "The same examples as a store view, held in memory, with the same transform: the loader's baseline."
    def __init__(self, view, transform):
        self.examples = [view[i] for i in range(len(view))]
        self.transform = transform
    def __len__(self): return len(self.examples)
    def __getitem__(self, i):
        S, label = self.examples[i]
        return self.transform(S), label


def memory_loader(view, transform, workers, batch_size=16):
    return torch.utils.data.DataLoader(InMemory(view, transform), batch_size=batch_size, num_workers=workers,
                                       persistent_workers=workers > 0, sampler=EpochSampler(len(view), seed=0))


def loader_epoch(loader, epoch):
    loader.sampler.set_epoch(epoch)
    t = time.perf_counter()
    for X, y in loader: pass
    return time.perf_counter() - t


def train_epoch(loader, model, opt, epoch):
    loader.sampler.set_epoch(epoch)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    model.train()
    t = time.perf_counter()
    for X, y in loader:
        opt.zero_grad()
        loss_fn(model(X), y.float()).backward()
        opt.step()
    return time.perf_counter() - t


def make_data(folder, n_clips):
    rows = []
    for k in range(n_clips):
        path = f'clip{k:03d}.wav'
        sf.write(folder / path, synth_clip(30.0, seed=k, dolphin=k % 2 == 0)[0], 50_000, subtype='PCM_16')
        rows.append((path, int(k % 2 == 0), 'train', path))
    return pd.DataFrame(rows, columns=['path', 'label', 'split', 'group'])


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--clips', type=int, default=40)
    p.add_argument('--reps', type=int, default=5)
    p.add_argument('--workers', type=int, default=2)
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp())
    manifest = make_data(tmp, args.clips)
    print(f"{args.clips} clips of 30 s, {args.workers} loader workers, batch 16, torch threads {torch.get_num_threads()}\n")
    rows = []
    for rows_name, config in (('615 rows', SpectroConfig(freq_step=2)), ('1229 rows', SpectroConfig())):
        out = tmp / f'{rows_name.split()[0]}.zarr'
        build_store(manifest, out, config, root=tmp, progress=False)
        view = open_store(out).subset('train').done()
        transform = InputTransform(view.config)
        loaders = {'store': make_loader(view, transform, batch_size=16, workers=args.workers, shuffle=True),
                   'memory': memory_loader(view, transform, args.workers)}
        torch.manual_seed(0)
        model = reference_cnn(1)
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
        times = {(src, kind): [] for src in loaders for kind in ('load', 'train')}
        for src, loader in loaders.items(): loader_epoch(loader, 0); train_epoch(loader, model, opt, 0)  # warm-up
        for rep in range(1, args.reps + 1):
            for src, loader in (loaders.items() if rep % 2 else reversed(loaders.items())):  # interleaved, alternating
                times[src, 'load'].append(loader_epoch(loader, rep))
                times[src, 'train'].append(train_epoch(loader, model, opt, rep))
        med = {k: float(np.median(v)) for k, v in times.items()}
        rows.append({'input': f'{rows_name} {view.example_shape}',
                     'load ex/s store': len(view) / med['store', 'load'], 'load ex/s memory': len(view) / med['memory', 'load'],
                     'epoch s store': med['store', 'train'], 'epoch s memory': med['memory', 'train'],
                     'ratio store/memory': med['store', 'train'] / med['memory', 'train'],
                     'store share of epoch %': 100 * (med['store', 'train'] - med['memory', 'train']) / med['store', 'train']})
        del loaders
    print(pd.DataFrame(rows).round(2).to_string(index=False))


if __name__ == '__main__':
    main()
