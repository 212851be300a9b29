"""The study's questions answered by detection performance: `study.run_study` over `STUDY_INPUTS`.

    nice python bench/run_study.py --out study_out                      # the committed run (about 17 min on 2 shared cores)
    nice python bench/run_study.py --out study_out --copy nbs/study       # ... and copy its tables where the notebook reads them

Synthesises an easy and a hard dataset (`--n-pos` + `--n-neg` clips of `--seconds` s each), builds one store per input
under OUT/DIFFICULTY/, trains the reference CNN once per seed, and writes OUT/study.csv (one row per difficulty and
input) and OUT/study_per_seed.csv. Re-running reuses every dataset, store and finished run, so an interrupted run
continues where it stopped. Needs the `train` extra (PyTorch).
"""
import argparse
import json
import platform
import shutil
import time
from pathlib import Path


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', type=Path, default=Path('study_out'), help='folder for data, stores, runs and tables')
    p.add_argument('--n-pos', type=int, default=120, help='positive clips per difficulty')
    p.add_argument('--n-neg', type=int, default=120, help='negative clips per difficulty')
    p.add_argument('--seconds', type=float, default=10.0, help='clip duration (s)')
    p.add_argument('--epochs', type=int, default=10)
    p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    p.add_argument('--difficulties', nargs='+', default=['easy', 'hard'])
    p.add_argument('--workers', type=int, default=None, help='build and loader processes (default: every core / 2)')
    p.add_argument('--threads', type=int, default=None, help="torch's threads in the training process")
    p.add_argument('--copy', type=Path, default=None, help='copy study.csv and study_per_seed.csv here when done')
    args = p.parse_args()

    import torch
    from dolphin_spectro.study import run_study
    if args.threads: torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    study = run_study(args.out, difficulties=tuple(args.difficulties), n_pos=args.n_pos, n_neg=args.n_neg,
                      seconds=args.seconds, epochs=args.epochs, seeds=tuple(args.seeds), workers=args.workers)
    wall = time.perf_counter() - t0
    flags = [f'--{k.replace("_", "-")} ' + (' '.join(map(str, v)) if isinstance(v, list) else str(v))
             for k, v in vars(args).items() if v is not None and k not in ('out', 'copy')]
    meta = dict(command=' '.join(['python bench/run_study.py'] + flags),
                wall_s=round(wall), torch=torch.__version__, threads=torch.get_num_threads(), machine=platform.machine(),
                python=platform.python_version())
    # wall_s is this invocation's: runs and stores found in OUT are reused, not redone
    (args.out / 'study.json').write_text(json.dumps(meta, indent=1))
    print(study[['difficulty', 'input', 'roc_auc', 'roc_auc_lo', 'roc_auc_hi', 'roc_auc_sd', 'average_precision', 'f1']]
          .round(3).to_string(index=False))
    print(f'{wall / 60:.1f} min')
    if args.copy:
        args.copy.mkdir(parents=True, exist_ok=True)
        for name in ('study.csv', 'study_per_seed.csv', 'study_scores.csv', 'study.json'): shutil.copy(args.out / name, args.copy / name)


if __name__ == '__main__':
    main()
