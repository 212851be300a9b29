"""The committed notebooks as GitHub and the docs site show them: every figure drawn is there, no errors, small.

    python tests/check_notebooks.py [NOTEBOOK ...]      (default: nbs/*.ipynb; exit 1 on any finding)

A code cell DRAWS when, outside any def, lambda or class body, it calls
  - a Matplotlib figure maker or plotting method, whatever it is called on (plt., fig., ax., a DataFrame's or
    DataArray's .plot, librosa.display.): one of DRAW_CALLS;
  - a drawing function of the package or the notebook: a name starting with `plot_` or `show_` (not `show_doc`);
  - the explorer widget: one of WIDGET_CALLS,
and it does not close what it drew (no `plt.close(...)` at its top level: a figure closed in its cell is never
shown, so tests may draw one and close it) and is not `#| eval: false`.
A drawing cell must carry an image output (image/png or image/svg+xml); a widget cell may carry its static html.
Every notebook: no error output; no output that changes from run to run (temporary folders, pids, ports) unless
its cell is `#| output: false` (the docs site hides it); every PNG at 72 dpi or less (Matplotlib's pHYs chunk; an
image without one passes). All notebooks together: at most LIMIT_MB (the project keeps them under ~5 MB).
Standard library only: it reads JSON and parses cells, well under a second.
"""
import ast
import base64
import json
import re
import struct
import sys
from pathlib import Path

DRAW_CALLS = {'subplots', 'subplot_mosaic', 'figure', 'plot', 'imshow', 'pcolormesh', 'pcolor', 'matshow',
              'specshow', 'waveshow', 'scatter', 'bar', 'barh', 'hist', 'fill_between', 'contour', 'contourf', 'show'}
WIDGET_CALLS = {'explore'}
IMAGES = ('image/png', 'image/svg+xml')
LIMIT_MB = 6.0
MAX_DPI = 72.5
VARYING = re.compile(r'\btmp[a-z0-9_]{8}\b|/var/folders/|\bpid[ =:]\d+|\b(?:localhost|\d+\.\d+\.\d+\.\d+):\d{2,5}\b')


def top_level_calls(source):
    "The calls a cell makes outside any def, lambda or class body (magics and shell lines dropped)."
    code = '\n'.join(l for l in source.splitlines() if not l.lstrip().startswith(('%', '!')))
    calls, todo = [], [ast.parse(code)]
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)): continue
        if isinstance(node, ast.Call): calls.append(node.func)
        todo.extend(ast.iter_child_nodes(node))
    return calls


def draws(source):
    "'figure', 'widget' or None: what a cell shows when run (the rule in this file's docstring)."
    if re.search(r'^#\|\s*eval:\s*false', source, re.M): return None
    funcs = top_level_calls(source)
    if any(ast.unparse(f) == 'plt.close' for f in funcs): return None
    names = [f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else '' for f in funcs]
    if any(n in WIDGET_CALLS for n in names): return 'widget'
    if any(n in DRAW_CALLS or n.startswith('plot_') or (n.startswith('show_') and n != 'show_doc') for n in names):
        return 'figure'
    return None


def png_dpi(b64):
    "The horizontal dpi a PNG's pHYs chunk records, or None."
    head = base64.b64decode(''.join(b64)[:2000])  # pHYs comes before the image data
    i = head.find(b'pHYs')
    if i < 0 or len(head) < i + 13: return None
    ppu, _, unit = struct.unpack('>IIB', head[i + 4:i + 13])
    return ppu * 0.0254 if unit == 1 else None


def texts(out):
    "The text an output shows."
    if out['output_type'] == 'stream': yield ''.join(out['text'])
    for mime in ('text/plain', 'text/html', 'text/markdown'):
        if mime in out.get('data', {}): yield ''.join(out['data'][mime])


def check(path):
    "Findings for one notebook, each a line naming the notebook and the cell."
    cells, found = json.loads(path.read_text(encoding='utf-8'))['cells'], []
    for i, cell in enumerate(cells):
        if cell['cell_type'] != 'code': continue
        source, outs = ''.join(cell['source']), cell.get('outputs', [])
        where = f"{path} cell {i} ({source.strip().splitlines()[0][:60] if source.strip() else 'empty'!r})"
        try: kind = draws(source)
        except SyntaxError as e:
            found.append(f"{where}: cannot be parsed ({e.msg}, line {e.lineno})"); continue
        mimes = {m for o in outs for m in o.get('data', {})}
        if kind and not mimes & set(IMAGES) and not (kind == 'widget' and 'text/html' in mimes):
            found.append(f"{where}: draws a {kind} but its committed output has no image "
                         f"(outputs: {sorted(mimes | {o['output_type'] for o in outs if 'data' not in o}) or 'none'})"
                         " - execute the notebook and commit it with its outputs")
        hidden = re.search(r'^#\|\s*output:\s*false', source, re.M)
        for o in outs:
            if o['output_type'] == 'error':
                found.append(f"{where}: error output {o.get('ename')}: {o.get('evalue', '')[:100]}")
            for t in [] if hidden else texts(o):
                if m := VARYING.search(t):
                    found.append(f"{where}: output changes from run to run ({m.group(0)!r}): print a derived fact, "
                                 "or mark the cell `#| output: false`")
                    break
            dpi = png_dpi(o['data']['image/png']) if 'image/png' in o.get('data', {}) else None
            if dpi and dpi > MAX_DPI:
                found.append(f"{where}: a figure at {dpi:.0f} dpi: set plt.rcParams['figure.dpi'] = 72")
    return found


def main(paths):
    "Check the notebooks given (default: the project's nbs/*.ipynb); print the findings; 1 if there are any."
    root = Path(__file__).resolve().parent.parent
    paths = [Path(p) for p in paths] or sorted(p.relative_to(Path.cwd()) if p.is_relative_to(Path.cwd()) else p
                                               for p in (root / 'nbs').glob('*.ipynb'))
    if not paths: sys.exit(f"no notebooks in {root / 'nbs'}")
    found = [line for p in paths for line in check(p)]
    sizes = {p: p.stat().st_size for p in paths}
    total = sum(sizes.values()) / 1e6
    largest = ', '.join(f"{p.name} {s / 1e6:.2f}" for p, s in sorted(sizes.items(), key=lambda x: -x[1])[:3])
    print(f"{len(paths)} notebooks, {total:.2f} MB (limit {LIMIT_MB} MB; largest: {largest} MB)")
    if total > LIMIT_MB:
        found.append(f"the notebooks total {total:.2f} MB, over {LIMIT_MB} MB: fewer or smaller figures, 72 dpi, "
                     "no large HTML tables, widget states or embedded audio")
    for line in found: print('FAIL', line)
    print(f"{len(found)} finding(s)" if found else "every drawing cell has its figure; no error outputs")
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
