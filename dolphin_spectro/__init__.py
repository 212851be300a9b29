"""True spectrogram matrices of hydrophone clips for dolphin detectors.

The names the README uses are importable from here (`from dolphin_spectro import load_audio, SpectroConfig`).
Each is loaded from its module on first use, so `import dolphin_spectro` and `dolphin-spectro --help` stay fast.
"""
__version__ = "0.1.0"

import importlib

_HOMES = {  # name → the module that defines it
    'DolphinSpectroError': 'errors', 'ParameterError': 'errors',
    'synth_clip': 'synth', 'make_dataset': 'synth',
    'load_audio': 'audio', 'valid_fmax': 'audio',
    'SpectroConfig': 'spectro', 'spectrogram': 'spectro', 'config_from_json': 'spectro',
    'MultiResConfig': 'multires',
    'read_manifest': 'manifest',
    'make_splits': 'holdout', 'split_manifest': 'holdout',
    'read_annotations': 'segment', 'clip_events': 'segment',  # segment() itself: dolphin_spectro.segment.segment
    'apply_split': 'folders',
    'open_store': 'store',
    'build_store': 'build', 'auto_fmax': 'build',
    'event_contrast': 'compare', 'plot_spectrograms': 'compare',
    'png_rgb': 'png', 'png_loss': 'png',
    'compare_inputs': 'study', 'plot_comparison': 'study',
}
__all__ = sorted(_HOMES)

def __getattr__(name):
    if name not in _HOMES: raise AttributeError(f"module 'dolphin_spectro' has no attribute {name!r}")
    value = getattr(importlib.import_module(f'.{_HOMES[name]}', __name__), name)
    globals()[name] = value  # found once
    return value

def __dir__(): return sorted(set(globals()) | set(_HOMES))
