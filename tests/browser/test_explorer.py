"""End-to-end check that the STFT explorer responds for a person in a real browser.

Serves `explorer.ipynb` (beside this file) with Voilà on 127.0.0.1, drives Debian's Chromium headless with
Playwright, and checks what a person would see:

1. the controls are shown (n_fft, hop_length, window, fmin, fmax, display, PCEN τ, A/B) with the table and the plot;
2. n_fft 4096 -> 512: side A's 'Hz per bin' reads 97.66 and the plot shown is the one of A at n_fft 512;
3. window hann -> blackman: the table and the plot shown are those of A with blackman;
4. the A/B view shows two panels; B's own settings come up in the controls when B is picked, and B edits
   only B ('Hz per bin' 48.83 for B at n_fft 1024 while A keeps 97.66, and the plot shown is B's at n_fft 1024).

"The plot shown is the one of ..." is read from the PNG itself: the explorer writes the configs it drew into the
picture's `explorer` text chunk, so a check waits for the picture of the new settings, not for any change of
pixels (an earlier redraw still in flight, e.g. the A/B switch's own, changes pixels too).

Screenshots of each checked state go to a temporary folder (or --shots DIR); their paths are printed.

    python tests/browser/test_explorer.py [--notebook NB] [--shots DIR] [--time-limit S] [--readme-image PNG]

--readme-image writes the README's picture (the n_fft 512 vs 8192 state, 900 px wide, 256 colours) after a pass.

Exit status: 0 passed, 1 failed, 77 skipped (no Chromium, Playwright or Voilà here: the reason is printed),
130/143 interrupted. Never downloads a browser; only 127.0.0.1 is contacted (other requests are blocked).

Process lifecycle: every process the test starts (Voilà, its kernel, Playwright's driver, Chromium) inherits
the environment variable DS_BROWSER_RUN=<id>, and the test is a child subreaper, so orphans come back to it.
However the test ends (pass, failure, exception, time limit, SIGTERM, Ctrl-C) the browser is closed, Voilà
is asked to stop (it stops its kernel), and then every process still carrying the id is stopped by pid and
reaped. A caller that had to SIGKILL the test can sweep the same way with `--sweep ID`.
"""
import argparse, base64, ctypes, io, os, shutil, signal, socket, subprocess, sys, tempfile, time, uuid
from pathlib import Path

SKIP = 77
RUN_ENV = 'DS_BROWSER_RUN'
CONTROLS = ['n_fft', 'hop_length', 'window', 'fmin', 'fmax', 'display', 'PCEN τ (s)', 'A/B']
CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync', '--no-first-run']
STARTUP_S, RENDER_S, REDRAW_S = 60, 120, 30  # bounded waits: server listening, explorer shown, one redraw
TIME_LIMIT_S = 300  # the whole test, server start to teardown


class Failed(Exception): "A check a person would make did not hold."
class Stopped(BaseException): "A signal (SIGTERM, SIGHUP, SIGALRM for the time limit) ends the test."


def check(ok, msg):
    "Raise `Failed(msg)` unless `ok`."
    if not ok: raise Failed(msg)


def missing_tools():
    "Reason this machine cannot run the test, or None."
    if not shutil.which('chromium'): return "no 'chromium' on PATH (Debian: apt-get install -y chromium)"
    for mod in ('playwright', 'voila'):
        try: __import__(mod)
        except ImportError: return f"Python package {mod!r} missing (pip install -e '.[browser]')"
    return None


# --- processes -------------------------------------------------------------------------------------

def _prctl(option, arg):
    "Linux prctl(2); False where it is not available."
    try: return ctypes.CDLL(None, use_errno=True).prctl(option, arg, 0, 0, 0) == 0
    except (OSError, AttributeError): return False

def become_subreaper():
    "Orphaned descendants (a kernel, Chromium's helpers) are re-parented to this process, which reaps them."
    return _prctl(36, 1)  # PR_SET_CHILD_SUBREAPER

def _die_with_parent():
    "In the child before exec: SIGTERM it when the test process dies, even by SIGKILL."
    _prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG

def _ancestors():
    "Ids of this process and the ones it runs under (a `timeout` wrapper carries the id too and must be spared)."
    out, pid = set(), os.getpid()
    while pid > 1 and pid not in out:
        out.add(pid)
        try: pid = int(Path(f'/proc/{pid}/stat').read_text().rsplit(')', 1)[1].split()[1])
        except (OSError, IndexError, ValueError): break
    return out

def tagged(run_id):
    "{pid: command} of the live processes whose environment carries DS_BROWSER_RUN=`run_id`, bar this one and its ancestors."
    mark, out, mine = f'{RUN_ENV}={run_id}'.encode(), {}, _ancestors()
    for d in Path('/proc').glob('[0-9]*'):
        if int(d.name) in mine: continue
        try:
            if mark not in (d / 'environ').read_bytes().split(b'\0'): continue
            if (d / 'stat').read_text().rsplit(')', 1)[1].split()[0] == 'Z': continue  # dead, waiting to be reaped
            out[int(d.name)] = (d / 'cmdline').read_bytes().replace(b'\0', b' ').decode(errors='replace')[:120]
        except (OSError, IndexError): continue
    return out

def reap():
    "Collect exited children (orphans re-parented here included) so no zombie is left."
    while True:
        try: pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError: return
        if not pid: return

def sweep(run_id, grace=5.0):
    "Stop every process carrying `run_id`: SIGTERM, then SIGKILL after `grace` s. Returns {pid: command} of those found."
    found = tagged(run_id)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in tagged(run_id):
            try: os.kill(pid, sig)
            except ProcessLookupError: pass
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and tagged(run_id):
            reap(); time.sleep(0.1)
        if not tagged(run_id): break
    reap()
    return found


def free_port():
    "A TCP port on 127.0.0.1 that nothing listens on now."
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Voila:
    "Voilà serving one notebook on 127.0.0.1, Jupyter state kept in `tmp`; a context manager that always stops it."
    def __init__(self, notebook, tmp, log):
        self.notebook, self.tmp, self.log, self.proc, self.port = Path(notebook).resolve(), Path(tmp), log, None, None

    @property
    def url(self): return f'http://127.0.0.1:{self.port}/'

    def _start(self):
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if k != 'MPLBACKEND'}  # the kernel picks its own backend
        for var, sub in (('JUPYTER_RUNTIME_DIR', 'runtime'), ('JUPYTER_DATA_DIR', 'data'), ('JUPYTER_CONFIG_DIR', 'config'),
                         ('IPYTHONDIR', 'ipython')):
            env[var] = str(self.tmp / 'jupyter' / sub)  # no user config in, no state out
        cmd = [sys.executable, '-m', 'voila', str(self.notebook), '--no-browser', f'--port={self.port}',
               '--Voila.ip=127.0.0.1', '--Voila.port_retries=0', '--VoilaConfiguration.show_tracebacks=True']
        self.proc = subprocess.Popen(cmd, cwd=self.notebook.parent, env=env, stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent)
        deadline = time.monotonic() + STARTUP_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None: return False
            try:
                with socket.create_connection(('127.0.0.1', self.port), timeout=1): return True
            except OSError: time.sleep(0.3)
        raise Failed(f'voila did not listen on 127.0.0.1:{self.port} within {STARTUP_S} s (log: {self.log.name})')

    def __enter__(self):
        for _ in range(3):  # the port may be taken between choosing and binding it
            if self._start(): return self
        raise Failed(f'voila exited with {self.proc.returncode} at startup (log: {self.log.name})')

    def __exit__(self, *exc): self.stop()

    def stop(self, grace=15.0):
        "SIGTERM: Voilà shuts its kernel down and exits; SIGKILL to its process group after `grace` s."
        if self.proc is None or self.proc.poll() is not None: return
        self.proc.send_signal(signal.SIGTERM)
        try: self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            try: os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError: pass
            self.proc.wait(timeout=5)


# --- reading and driving the page ------------------------------------------------------------------

STATE_JS = """(names) => {
  const box = document.querySelector('.ds-explorer');
  if (!box) return null;
  const controls = {};
  for (const label of box.querySelectorAll('.widget-label')) {
    const name = label.textContent.trim(), w = label.parentElement;
    if (!names.includes(name)) continue;
    w.setAttribute('data-ds-control', name);
    const sel = w.querySelector('select'), active = w.querySelector('button.mod-active'),
          readout = w.querySelector('.widget-readout');
    const raw = sel ? sel.options[sel.selectedIndex].textContent : active ? active.textContent.trim()
                : readout ? (readout.value !== undefined && readout.value !== '' ? readout.value : readout.textContent.trim()) : null;
    const value = raw === null ? null : String(raw).replace(/\u00a0/g, ' ');  // drop-downs show spaces as no-break spaces
    const r = w.getBoundingClientRect();
    controls[name] = {value, visible: r.width > 0 && r.height > 0 && getComputedStyle(w).visibility !== 'hidden'};
  }
  let table = null;
  const t = box.querySelector('table');
  if (t) {
    const head = [...t.tHead.rows[0].cells].map(c => c.textContent.trim());
    table = {};
    for (const row of t.tBodies[0].rows) {
      const cells = [...row.cells].map(c => c.textContent.trim());
      table[cells[0]] = Object.fromEntries(head.slice(1).map((h, i) => [h, cells[i + 1]]));
    }
  }
  const imgs = [...box.querySelectorAll('img')].filter(i => i.complete && i.naturalWidth > 0).map(i => i.src);
  return {controls, table, imgs, status: (box.querySelector('.widget-html span') || {}).textContent || ''};
}"""

FETCH_JS = """async (src) => {
  const buf = new Uint8Array(await (await fetch(src)).arrayBuffer());
  let s = ''; for (const b of buf) s += String.fromCharCode(b);
  return btoa(s);
}"""


class Page:
    "What a person sees of the explorer in one browser page, and the controls they use."
    def __init__(self, page): self.page, self._png = page, {}

    def state(self):
        "Controls (value, visible), the table as {side: {column: text}}, and the plot's image URLs."
        return self.page.evaluate(STATE_JS, CONTROLS) or {'controls': {}, 'table': None, 'imgs': [], 'status': ''}

    def hz(self):
        "Side -> 'Hz per bin' as shown, or {} while no table is shown."
        t = self.state()['table'] or {}
        return {side: row.get('Hz per bin') for side, row in t.items()}

    def image(self):
        "The plot as PNG bytes (None while none is shown); a Voilà image is a blob: URL, fetched as the page has it."
        imgs = self.state()['imgs']
        if not imgs: return None
        src = imgs[-1]
        if src not in self._png:
            self._png = {src: base64.b64decode(src.split(',', 1)[1] if src.startswith('data:') else self.page.evaluate(FETCH_JS, src))}
        return self._png[src]

    def shown(self):
        "What the plot on the page says it shows (its PNG's `explorer` text: active side, display, each side's config), or {}."
        import json
        from PIL import Image
        png = self.image()
        return json.loads(Image.open(io.BytesIO(png)).text.get('explorer', '{}')) if png else {}

    def set(self, name, value):
        "Pick `value` in control `name` as a person would: choose it in the drop-down, or click its button."
        self.state()  # marks the controls
        w = self.page.locator(f'.ds-explorer [data-ds-control="{name}"]')
        check(w.count() == 1, f'control {name!r} is not in the page')
        if w.locator('select').count(): w.locator('select').select_option(label=str(value))
        else: w.get_by_role('button', name=str(value), exact=True).click()

    def shot(self, folder, name):
        "Screenshot of the explorer into `folder`; prints the path."
        path = Path(folder) / name
        self.page.locator('.ds-explorer').screenshot(path=str(path), timeout=30_000)
        print(f'    screenshot: {path}', flush=True)
        return path


def pixels(png):
    "An image's RGB pixels as an array."
    import numpy as np
    from PIL import Image
    return np.asarray(Image.open(io.BytesIO(png)).convert('RGB'))


def changed(a, b):
    "Fraction of pixels that differ between two PNGs (1.0 when their sizes differ)."
    pa, pb = pixels(a), pixels(b)
    return 1.0 if pa.shape != pb.shape else float((pa != pb).any(axis=2).mean())


def count_panels(png, gap=4):
    "Plot panels in a matplotlib PNG: runs of mostly-painted columns wider than a sixth of the figure (not the colour bar)."
    a = pixels(png).mean(axis=2)
    painted = list((a < 235).mean(axis=0) > 0.5)  # a spectrogram paints most of its column; margins and gaps are white
    runs, n, white = [], 0, 0
    for p in painted + [False] * (gap + 1):
        if p: n, white = n + white + 1, 0  # thin white lines (event boxes) inside a panel do not split it
        elif n:
            white += 1
            if white > gap: runs.append(n); n, white = 0, 0
    return sum(r > a.shape[1] / 6 for r in runs)


def wait_until(what, cond, timeout=REDRAW_S):
    "Poll `cond()` until it is truthy and return it; `Failed(what)` after `timeout` s."
    deadline = time.monotonic() + timeout
    while True:
        got = cond()
        if got: return got
        if time.monotonic() > deadline: raise Failed(f'{what}: not within {timeout} s')
        time.sleep(0.2)


def showing(ui, active, side, **settings):
    "True when the plot on the page is the one with `active` marked and side `side` at `settings` (config fields)."
    s = ui.shown()
    return s.get('active') == active and all(s.get(side, {}).get(k) == v for k, v in settings.items())


# --- the checks ------------------------------------------------------------------------------------

def run_checks(page, url, shots):
    "Open the explorer at `url` and make the person's checks; screenshots into `shots`."
    ui = Page(page)
    page.goto(url, timeout=RENDER_S * 1000, wait_until='domcontentloaded')
    try: page.wait_for_selector('.ds-explorer img', timeout=RENDER_S * 1000)
    except Exception as e:
        body = page.evaluate("() => document.body ? document.body.innerText : ''")[-1500:]
        raise Failed(f'the explorer was not shown within {RENDER_S} s; the page reads:\n{body}') from e

    # 1. controls, numbers, picture
    st = wait_until('the controls, the table and the plot are shown',
                    lambda: (s := ui.state())['table'] and s['imgs'] and len(s['controls']) == len(CONTROLS) and s)
    missing = [c for c in CONTROLS if not st['controls'].get(c, {}).get('visible')]
    check(not missing, f'controls shown: missing or hidden {missing}')
    check(st['controls']['n_fft']['value'] == '4096' and st['controls']['A/B']['value'] == 'A',
          f"the explorer opens on side A at the study's n_fft=4096: controls read {st['controls']}")
    check(showing(ui, 'A', 'A', n_fft=4096, hop_length=2048) and showing(ui, 'A', 'B', n_fft=8192),
          f"the first plot shows A at n_fft 4096 and B at 8192, A active: it says {ui.shown()}")
    check(ui.hz().get('A') == '12.21', f"n_fft=4096 at 50 kHz: side A's 'Hz per bin' should read 12.21, reads {ui.hz()}")
    check(count_panels(ui.image()) == 2, f'the plot should show two panels (A and B), shows {count_panels(ui.image())}')
    shown = ', '.join(f"{k}={v['value']}" for k, v in st['controls'].items())
    print(f"ok  controls shown: {shown}; Hz per bin {ui.hz()}; plot with 2 panels", flush=True)
    ui.shot(shots, '1_nfft4096.png')

    # 2. n_fft 4096 -> 512
    before = ui.image()
    ui.set('n_fft', 512)
    wait_until(f"n_fft 4096 -> 512: side A's 'Hz per bin' reads 97.66", lambda: ui.hz().get('A') == '97.66')
    wait_until('n_fft 4096 -> 512: the plot shown is A at n_fft 512, hop_length 256',
               lambda: showing(ui, 'A', 'A', n_fft=512, hop_length=256))
    frac = changed(before, ui.image())
    check(frac > 0.05, f'n_fft 4096 -> 512: the picture of A at 512 should differ from the one at 4096 ({frac:.1%} of pixels do)')
    print(f"ok  n_fft 4096 -> 512: Hz per bin {ui.hz()}; plot of A at n_fft 512 shown ({frac:.0%} of pixels changed)", flush=True)
    ui.shot(shots, '2_nfft512.png')

    # 3. window hann -> blackman
    before, table = ui.image(), ui.state()['table']
    ui.set('window', 'blackman')
    wait_until("window hann -> blackman: the table shows blackman for side A",
               lambda: (ui.state()['table'] or {}).get('A', {}).get('window') == 'blackman')
    wait_until('window hann -> blackman: the plot shown is A with blackman',
               lambda: showing(ui, 'A', 'A', n_fft=512, window='blackman'))
    frac = changed(before, ui.image())
    now = ui.state()['table']
    diff = sorted(c for c in now['A'] if now['A'][c] != table['A'].get(c))
    print(f"ok  window -> blackman: table columns changed for A: {diff}; plot redrawn ({frac:.0%} of pixels)", flush=True)
    ui.shot(shots, '3_blackman.png')

    # 4. A/B: two panels, B's settings in the controls, B edited on its own
    ui.set('A/B', 'B')
    wait_until("A/B -> B: the controls show B's settings (n_fft 8192, hop_length 2048 = n_fft/4)",
               lambda: (c := ui.state()['controls'])['A/B']['value'] == 'B' and c['n_fft']['value'] == '8192'
               and c['hop_length']['value'] == '2048 (n_fft/4)')
    wait_until('A/B -> B: the plot shown marks B as the side being edited', lambda: showing(ui, 'B', 'B', n_fft=8192))
    ui.set('n_fft', 1024)
    wait_until("B's n_fft 8192 -> 1024: B's 'Hz per bin' reads 48.83 and A's stays 97.66",
               lambda: ui.hz() == {'A': '97.66', 'B': '48.83'})
    wait_until("B's n_fft 8192 -> 1024: the plot shown is B at n_fft 1024, hop_length 256 (n_fft/4), A still at 512",
               lambda: showing(ui, 'B', 'B', n_fft=1024, hop_length=256) and showing(ui, 'B', 'A', n_fft=512, window='blackman'))
    n = count_panels(ui.image())
    check(n == 2, f'the A/B view should show two panels, shows {n}')
    print(f"ok  A/B: B's settings come up when B is picked; B edited alone: Hz per bin {ui.hz()}; {n} panels", flush=True)
    ui.shot(shots, '4_ab.png')


# --- running it ------------------------------------------------------------------------------------

def readme_image(shot, dest, width=900):
    "Write screenshot `shot` to `dest` as a small PNG: `width` px wide, 256 colours (about 150 kB)."
    from PIL import Image
    im = Image.open(shot).convert('RGB')
    im = im.resize((width, round(im.height * width / im.width)), Image.LANCZOS)
    im.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(dest, optimize=True)
    print(f'    README image: {dest} ({Path(dest).stat().st_size / 1e3:.0f} kB)', flush=True)


def _raise_stopped(signum, frame):
    raise Stopped('time limit' if signum == signal.SIGALRM else signal.Signals(signum).name)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--notebook', default=Path(__file__).with_name('explorer.ipynb'), help='notebook to serve')
    p.add_argument('--shots', help='folder for screenshots and the server log (default: a new temporary folder)')
    p.add_argument('--time-limit', type=float, default=TIME_LIMIT_S, help='seconds for the whole test')
    p.add_argument('--readme-image', metavar='PNG', help="after a pass, write the README's picture there")
    p.add_argument('--sweep', metavar='ID', help='only stop the processes left by run ID, then exit')
    args = p.parse_args(argv)
    if args.sweep:
        for pid, cmd in sweep(args.sweep).items(): print(f'stopped leftover process {pid}: {cmd}')
        return 0
    reason = missing_tools()
    if reason:
        print(f'SKIPPED browser test: {reason}', flush=True)
        return SKIP
    from playwright.sync_api import sync_playwright, Error as PlaywrightError

    run_id = os.environ.get(RUN_ENV) or uuid.uuid4().hex
    os.environ[RUN_ENV] = run_id  # inherited by everything started from here on
    become_subreaper()
    tmp = Path(args.shots) if args.shots else Path(tempfile.mkdtemp(prefix='explorer_test_'))
    tmp.mkdir(parents=True, exist_ok=True)
    start, status, blocked = time.monotonic(), 1, set()
    print(f'browser test: {args.notebook}\n  screenshots and server log in {tmp}', flush=True)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C raises KeyboardInterrupt even if started ignoring it
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGALRM): signal.signal(sig, _raise_stopped)
    signal.alarm(max(1, int(args.time_limit)))
    log = open(tmp / 'voila.log', 'w')

    def only_loopback(route):
        "Requests to 127.0.0.1 go through; every other one is blocked (the network is not needed)."
        url = route.request.url
        if url.startswith(('data:', 'blob:')) or url.split('/')[2].split(':')[0] == '127.0.0.1': route.continue_()
        else: blocked.add(url.split('?')[0]); route.abort()

    console = []
    try:
        with Voila(args.notebook, tmp, log) as server, sync_playwright() as pw:
            print(f'  voila on {server.url} (pid {server.proc.pid}), up in {time.monotonic() - start:.1f} s', flush=True)
            browser = pw.chromium.launch(executable_path=shutil.which('chromium'), args=CHROMIUM_ARGS, timeout=60_000,
                                         handle_sigint=False, handle_sigterm=False, handle_sighup=False)
            try:
                page = browser.new_page(viewport={'width': 1400, 'height': 1000})
                page.on('pageerror', lambda e: console.append(f'page error: {e}'))
                page.on('console', lambda m: m.type == 'error' and 'net::ERR_FAILED' not in m.text  # ERR_FAILED: blocked
                        and console.append(f'console: {m.text}'))
                page.route('**/*', only_loopback)
                page.set_default_timeout(30_000)
                try: run_checks(page, server.url, tmp)
                except Failed:
                    try: print(f"    screenshot of the failed state: {page.screenshot(path=str(tmp / 'failed.png'), timeout=10_000) and tmp / 'failed.png'}")
                    except Exception: pass
                    raise
            finally:
                try: browser.close()
                except Exception: pass
        status = 0
    except (Failed, PlaywrightError) as e:
        print(f'FAIL browser test: {e}', flush=True)
    except KeyboardInterrupt:
        print('INTERRUPTED browser test (Ctrl-C)', flush=True); status = 130
    except Stopped as e:
        if str(e) == 'time limit': print(f'FAIL browser test: time limit of {args.time_limit:.0f} s reached', flush=True)
        else: print(f'INTERRUPTED browser test ({e})', flush=True); status = 143
    finally:
        signal.alarm(0)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP): signal.signal(sig, signal.SIG_IGN)  # let cleanup finish
        left = sweep(run_id)
        if left: print('  stopped leftover processes: ' + '; '.join(f'{k} {v}' for k, v in left.items()), flush=True)
        still = tagged(run_id)
        if still:
            print(f'FAIL browser test: processes still running after cleanup: {still}', flush=True); status = status or 1
        log.close()
    if status == 1:
        for line in console[-10:]: print(f'  {line}')
        print('--- last lines of the voila log ---\n' + ''.join(open(log.name).readlines()[-25:]), flush=True)
    if blocked: print(f'  blocked {len(blocked)} request(s) to other hosts (not needed): {sorted(blocked)}')
    if status == 0 and args.readme_image: readme_image(tmp / '2_nfft512.png', args.readme_image)
    if status == 0: print(f'PASS browser test ({time.monotonic() - start:.0f} s)', flush=True)
    return status


if __name__ == '__main__':
    code = main()
    sys.stdout.flush(); sys.stderr.flush()
    os._exit(code)  # everything is stopped; skip the noise of half-closed Playwright objects at interpreter exit
