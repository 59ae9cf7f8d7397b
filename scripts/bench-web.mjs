#!/usr/bin/env node
// The page benchmark (PRODUCT.md §4): measures the release site in headless Chromium and prints
// each figure against its budget. Run by scripts/test.sh after the browser tests, or alone:
//
//   node scripts/bench-web.mjs BASE_URL [DIST_DIR]      (make bench-web serves dist/ itself)
//
// Figures:
//   1. wasm + js gzip size of the initial load (dist/)                       budget ≤ 300 KB
//   2. time to first interactive render (navigation → the app mounted)      budget ≤ 400 ms
//   3. Monaco ready (navigation → Monaco swapped in)                        budget ≤ 2 s
//   4. Apply → first frame of a 10-pod lesson                               budget ≤ 50 ms
//   5. scrub latency over a long timeline (> 10,000 steps)                  budget ≤ 16 ms
//   6. longest frame while playing at 16× with 200 pods on screen           budget ≤ 50 ms
//      (and, reported with it, the frames from 0 s while the 200 pods first appear)
//   7. main-thread busy while paused (CDP TaskDuration over 5 s)            budget < 2 %
// Every figure is reported against its budget; none fails the run (the timings depend on the
// machine, and the size budget is a known gap reported by the size report too).
// Each timing is the median of a few runs (the worst is printed too). Nothing here is a unit test.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const BASE_URL = process.argv[2] ?? process.env.BASE_URL ?? 'http://127.0.0.1:8080/';
const DIST = process.argv[3] ?? 'dist';
const EDITOR_TEXT_KEY = 'pod-playground:editor-text:v1';
const results = [];

function report(name, value, unit, budget, { fails = false, note = '' } = {}) {
  const ok = value <= budget;
  results.push({ name, value, unit, budget, ok, fails });
  const shown = unit === '%' ? value.toFixed(2) : unit === 'KB' ? value.toFixed(1) : value.toFixed(1);
  console.log(
    `  ${name.padEnd(44)} ${`${shown} ${unit}`.padStart(12)}   budget ${budget} ${unit}   ${ok ? 'ok' : 'OVER'}${note ? `   (${note})` : ''}`,
  );
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};

function pods(n, { crash = false, probe = false } = {}) {
  let text = '';
  for (let i = 0; i < n; i++) {
    const script = crash ? 'echo working; sleep 2; exit 1' : 'echo ready; sleep 3600';
    const readiness = probe
      ? '    readinessProbe:\n      exec:\n        command: ["true"]\n      periodSeconds: 10\n'
      : '';
    text += `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${String(i).padStart(3, '0')}\n  labels:\n    app: bench\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: ["sh", "-c", "${script}"]\n    resources:\n      requests:\n        cpu: 10m\n        memory: 16Mi\n${readiness}---\n`;
  }
  return text;
}

// ---------- 1. Size ----------
function sizeOf(dist) {
  const walk = (dir) => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
  let gzip = 0;
  for (const file of walk(dist)) {
    const rel = relative(dist, file);
    if (rel.startsWith('monaco/') || rel.startsWith('schema/')) continue;
    if (rel.endsWith('.wasm') || rel.endsWith('.js')) gzip += gzipSync(readFileSync(file), { level: 9 }).length;
  }
  return gzip / 1024;
}

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function newPage(browser, text) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme: 'light' });
  const page = await context.newPage();
  await page.addInitScript(([key, value]) => {
    if (value !== null) localStorage.setItem(key, value);
    // When the app's parts appear, relative to navigation start (performance.now()).
    window.__marks = {};
    new MutationObserver(() => {
      const m = window.__marks;
      if (!m.app && document.querySelector('[data-testid="apply"]')) m.app = performance.now();
      if (!m.monaco && document.querySelector('[data-testid="editor"][data-editor-kind="monaco"] .monaco-editor .view-lines')) m.monaco = performance.now();
    }).observe(document, { childList: true, subtree: true, attributes: true });
  }, [EDITOR_TEXT_KEY, text ?? null]);
  return { context, page };
}

/** Clicks Apply inside the page and resolves with the time until the first frame that shows the
 * new run (the transport's revision moved and the browser is about to paint). */
async function applyToFirstFrame(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const transport = document.querySelector('[data-testid="transport"]');
        const before = transport?.dataset.revision;
        const start = performance.now();
        document.querySelector('[data-testid="apply"]').click();
        const check = () => {
          if (transport?.dataset.revision !== before && document.querySelector('[data-testid="cluster-stage"]')) {
            resolve(performance.now() - start);
          } else {
            requestAnimationFrame(check);
          }
        };
        requestAnimationFrame(check);
      }),
  );
}

async function pause(page) {
  const pauseButton = page.getByTestId('transport-pause');
  if (await pauseButton.count()) await pauseButton.click();
}

async function main() {
  console.log(`Page benchmark against ${BASE_URL} (headless Chromium, ${process.env.CHROMIUM ?? '/usr/bin/chromium'})`);
  report('wasm + js, gzip (initial load)', sizeOf(DIST), 'KB', 300, { fails: true });

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  try {
    // 2 + 3. First interactive render and Monaco ready, over fresh loads.
    const mount = [];
    const monaco = [];
    for (let i = 0; i < 5; i++) {
      const { context, page } = await newPage(browser, null);
      await page.goto(BASE_URL);
      await page.locator('[data-testid="editor"][data-editor-kind="monaco"] .monaco-editor .view-lines').waitFor({ timeout: 30_000 });
      const marks = await page.evaluate(() => window.__marks);
      mount.push(marks.app);
      monaco.push(marks.monaco);
      await context.close();
    }
    report('first interactive render', median(mount), 'ms', 400, { note: `worst ${Math.max(...mount).toFixed(0)} ms of ${mount.length}` });
    report('Monaco ready', median(monaco), 'ms', 2000, { note: `worst ${Math.max(...monaco).toFixed(0)} ms` });

    // 4. Apply → first frame, 10-pod lesson (10 virtual minutes).
    {
      const { context, page } = await newPage(browser, pods(10, { probe: true }));
      await page.goto(BASE_URL);
      // After Monaco arrived: its bundle evaluates about a second after load, a long task that
      // would land in the middle of a measurement.
      await page.locator('[data-testid="editor"][data-editor-kind="monaco"] .monaco-editor .view-lines').waitFor({ timeout: 30_000 });
      const times = [];
      for (let i = 0; i < 7; i++) {
        times.push(await applyToFirstFrame(page));
        await pause(page);
      }
      const steps = await page.getByTestId('step-count').innerText();
      report('Apply → first frame (10 pods, 10 min)', median(times), 'ms', 50, { note: `worst ${Math.max(...times).toFixed(1)} ms; ${steps}` });
      await context.close();
    }

    // 5 + 6. A long timeline with many pods: scrub latency, then the longest frame while playing.
    {
      const { context, page } = await newPage(browser, pods(200, { probe: true }));
      await page.goto(BASE_URL);
      await page.locator('[data-testid="editor"][data-editor-kind="monaco"] .monaco-editor .view-lines').waitFor({ timeout: 30_000 });
      const applyMs = await applyToFirstFrame(page);
      await pause(page);
      const steps = await page.getByTestId('step-count').innerText();
      const scrub = await page.evaluate(async () => {
        const input = document.querySelector('[data-testid="scrubber"]');
        const end = Number(input.max);
        const out = [];
        let seed = 7;
        for (let i = 0; i < 40; i++) {
          seed = (seed * 1103515245 + 12345) % 2147483648;
          const t = Math.round((seed / 2147483648) * end / 100) * 100;
          const start = performance.now();
          input.value = String(t);
          input.dispatchEvent(new Event('input', { bubbles: true }));
          // Let the reactive updates (microtasks) run, then force style and layout.
          await Promise.resolve();
          await new Promise((r) => setTimeout(r, 0));
          void document.body.offsetHeight;
          out.push(performance.now() - start);
          await new Promise((r) => requestAnimationFrame(() => r()));
        }
        return out;
      });
      report('scrub to any moment (200 pods)', median(scrub), 'ms', 16, { note: `worst ${Math.max(...scrub).toFixed(1)} ms; ${steps}; apply took ${applyMs.toFixed(0)} ms` });

      // Playback at 16×: once with the 200 pods already on screen (the budget), and once from the
      // start, where all 200 appear, get queued and bound within the first frames (reported).
      await page.getByTestId('speed').selectOption('16');
      const playFor = (ms) =>
        page.evaluate(
          (duration) =>
            new Promise((resolve) => {
              const deltas = [];
              const longTasks = [];
              const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
              try {
                observer.observe({ type: 'longtask', buffered: false });
              } catch {}
              document.querySelector('[data-testid="transport-play"]')?.click();
              let last = performance.now();
              const started = last;
              const tick = (now) => {
                deltas.push(now - last);
                last = now;
                if (now - started < duration) requestAnimationFrame(tick);
                else {
                  observer.disconnect();
                  document.querySelector('[data-testid="transport-pause"]')?.click();
                  resolve({ deltas: deltas.slice(1), longTasks });
                }
              };
              requestAnimationFrame(tick);
            }),
          ms,
        );
      await page.getByTestId('scrubber').fill('60000');
      const count = await page.locator('[data-testid^="pod-"][data-uid]').count();
      const steady = await playFor(6000);
      await page.getByTestId('jump-start').click();
      const burst = await playFor(3000);
      const longest = Math.max(...steady.deltas);
      const longTask = steady.longTasks.length ? Math.max(...steady.longTasks) : 0;
      report('longest frame while playing (200 pods)', longest, 'ms', 50, {
        note:
          `${count} pods on screen from 1m, 16×, ${steady.deltas.length} frames, median ${median(steady.deltas).toFixed(1)} ms, ` +
          `longest task ${longTask.toFixed(0)} ms; from 0s, as the 200 pods appear: longest ${Math.max(...burst.deltas).toFixed(0)} ms`,
      });

      // 7. Paused: what the main thread does over 5 s (CDP TaskDuration, in seconds).
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      // Let the last transitions and the probe pulse (under 1.5 s) finish: then it must be still.
      await page.waitForTimeout(2000);
      const metric = async () => {
        const { metrics } = await cdp.send('Performance.getMetrics');
        const get = (n) => metrics.find((m) => m.name === n)?.value ?? 0;
        return { task: get('TaskDuration'), time: get('Timestamp') };
      };
      const a = await metric();
      await page.waitForTimeout(5000);
      const b = await metric();
      const busy = ((b.task - a.task) / (b.time - a.time)) * 100;
      report('main thread busy while paused', busy, '%', 2, { note: `${((b.task - a.task) * 1000).toFixed(1)} ms of work in ${(b.time - a.time).toFixed(1)} s, ${count} pods on screen` });
      await context.close();
    }
  } finally {
    await browser.close();
  }

  const failed = results.filter((r) => r.fails && !r.ok);
  const over = results.filter((r) => !r.ok).map((r) => r.name);
  console.log(
    `bench summary: ${results.length - over.length}/${results.length} within budget${over.length ? `; over: ${over.join(', ')}` : ''}` +
      (failed.length ? ' — size OVER BUDGET (reported, not failing)' : ''),
  );
  process.exit(0);
}

main().catch((error) => {
  console.error(`bench-web: ${error?.stack ?? error}`);
  process.exit(2);
});
