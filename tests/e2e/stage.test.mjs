// Browser tests of the stage (the wiring of the simulator to the page): Apply runs the pod, the
// editor shows the core's diagnostics and the schema's completions, the transport (buttons,
// scrubber, keyboard) moves through time and back to the same screen, the scenario picker, the
// dark theme and reduced motion. Against the release build (scripts/test.sh).
// Runner: node:test. Driver: playwright-core with Debian's Chromium. One test per behaviour.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { BASE_URL, pod, useBrowser } from './fixtures/browser.mjs';
import { StagePage } from './fixtures/stage.mjs';

const ORIGIN = new URL(BASE_URL).origin;

const offOrigin = (requests) =>
  requests.filter((url) => !url.startsWith(`${ORIGIN}/`) && !url.startsWith('data:') && !url.startsWith('blob:'));

function assertClean(session) {
  const errors = session.errors.filter((e) => !/integrity. attribute is currently ignored/.test(e));
  assert.deepEqual(errors, [], 'the console shows no errors');
  assert.deepEqual(offOrigin(session.requests), [], 'no request leaves the page origin');
}

const WEB = pod(
  'web',
  `  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "echo serving; sleep 3600"]
`,
);

const CRASHER = pod(
  'crasher',
  `  restartPolicy: Always
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "echo working; sleep 2; exit 1"]
`,
);

// A YAML syntax error on line 10 (an unclosed flow sequence, then bad indentation).
const SYNTAX_ERROR = pod(
  'broken',
  `  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep 1"
    args: [oops
`,
);

// A validation error: the container at line 7 has no image.
const NO_IMAGE = pod(
  'noimage',
  `  containers:
  - name: app
    command: ["sh", "-c", "sleep 1"]
`,
);

// A typo'd field on line 9.
const TYPO = pod(
  'typo',
  `  containers:
  - name: app
    image: busybox:1.36
    imagePullPolcy: Always
    command: ["sh", "-c", "sleep 3600"]
`,
);

describe('The stage: simulation wired to the page', () => {
  const open = useBrowser(StagePage);

  test('Apply runs a pod: the scheduler places it on a worker and it becomes Running', async () => {
    const session = await open();
    const { app } = session;
    await app.startWith(WEB);
    await app.goto();
    await app.apply.click();
    await app.speed.selectOption('16');
    const web = app.pod('web');
    await app.page.locator('[data-testid="pod-default-web"][data-status="Running"]').waitFor({ timeout: 20_000 });
    assert.equal(await web.getAttribute('data-ready'), '1/1');
    const node = await web.evaluate((el) => el.closest('[data-testid^="node-"]')?.dataset.testid);
    assert.match(node ?? '', /^node-worker-[12]$/, 'scheduled on a worker (the control plane is tainted)');
    assert.match(await web.innerText(), /app/, 'its container chip is shown');
    await app.screenshot('stage-running');
    assertClean(session);
  });

  test('the pod passes through the API server and the queue before its node', async () => {
    const session = await open();
    const { app } = session;
    await app.applyPaused(WEB);
    const places = [];
    while (await app.stepForward.isEnabled()) {
      await app.stepForward.click();
      const where = await app.page.evaluate(
        () =>
          document
            .querySelector('[data-testid="pod-default-web"]')
            ?.closest('[data-testid^="node-"], [data-testid^="station-"]')?.dataset.testid ?? null,
      );
      if (where && places.at(-1) !== where) places.push(where);
    }
    assert.deepEqual(places.slice(0, 2), ['station-apiserver', 'station-queue'], 'stored, then queued');
    assert.match(places[2] ?? '', /^node-worker-[12]$/, 'then bound to a worker');
    assertClean(session);
  });

  test('a YAML syntax error is listed and underlined at its line', async () => {
    const session = await open();
    const { app, page } = session;
    await app.startWith(SYNTAX_ERROR);
    await app.goto();
    await app.waitForMonaco();
    const item = app.problemItems().first();
    await item.waitFor();
    assert.equal(await item.getAttribute('data-line'), '10');
    assert.equal(await item.getAttribute('data-severity'), 'error');
    assert.match(await app.problems.getByTestId('rejection').first().innerText(), /error parsing/);
    await page.locator('[data-testid="editor-monaco"] .squiggly-error').first().waitFor();
    assertClean(session);
  });

  test('a validation error reads like the apiserver, at the container line', async () => {
    const session = await open();
    const { app } = session;
    await app.startWith(NO_IMAGE);
    await app.goto();
    const item = app.problemItems().first();
    await item.waitFor();
    assert.equal(await item.getAttribute('data-line'), '7');
    assert.match(await item.innerText(), /spec\.containers\[0\]\.image: Required value/);
    assert.match(
      await app.problems.getByTestId('rejection').first().innerText(),
      /The Pod "noimage" is invalid: spec\.containers\[0\]\.image: Required value/,
    );
    assertClean(session);
  });

  test('a typo field is a warning at its line; clicking it reveals the line', async () => {
    const session = await open();
    const { app, page } = session;
    await app.startWith(TYPO);
    await app.goto();
    await app.waitForMonaco();
    const item = app.problemItems().filter({ hasText: 'imagePullPolcy' });
    await item.waitFor();
    assert.equal(await item.getAttribute('data-line'), '9');
    assert.equal(await item.getAttribute('data-severity'), 'warning');
    assert.match(await item.innerText(), /unknown field "spec\.containers\[0\]\.imagePullPolcy"/);
    await page.locator('[data-testid="editor-monaco"] .squiggly-warning').first().waitFor();
    await item.locator('button').click();
    await page.keyboard.type('#');
    const saved = await app.savedText();
    assert.equal(saved.split('\n')[8], '#    imagePullPolcy: Always', 'the caret was put at the start of line 9');
    await app.screenshot('stage-problems');
    assertClean(session);
  });

  test('schema completion offers the restartPolicy values', async () => {
    const session = await open();
    const { app } = session;
    await app.startWith(pod('complete', '  restartPolicy: \n  containers:\n  - name: app\n    image: busybox:1.36\n'));
    await app.goto();
    await app.waitForMonaco();
    const labels = await app.suggestionsAtEndOf(6);
    for (const value of ['Always', 'OnFailure', 'Never']) {
      assert.ok(labels.some((l) => l.includes(value)), `${value} in ${labels.join(' | ')}`);
    }
    await app.screenshot('stage-completion');
    assert.ok(session.requests.some((url) => url.endsWith('/schema/kubernetes.json')), 'the schema is served by the site');
    assertClean(session);
  });

  test('stepping back and forth, and scrubbing, restore the same screen', async () => {
    const session = await open();
    const { app } = session;
    await app.applyPaused(CRASHER);
    for (let i = 0; i < 10; i++) await app.stepForward.click();
    const at10 = await app.screen();
    assert.equal(await app.stepsTaken(), 10);
    for (let i = 0; i < 5; i++) await app.stepForward.click();
    assert.notDeepEqual(await app.screen(), at10, 'five steps later the screen differs');
    for (let i = 0; i < 5; i++) await app.stepBack.click();
    assert.deepEqual(await app.screen(), at10, 'back five steps: the same screen');

    await app.scrubber.fill('45000');
    const at45s = await app.screen();
    assert.equal(at45s.clock, '45s');
    assert.ok(at45s.pods.some((p) => /CrashLoopBackOff|Error|Running/.test(p.status)), JSON.stringify(at45s.pods));
    await app.scrubber.fill('300000');
    assert.notDeepEqual(await app.screen(), at45s);
    await app.scrubber.fill('45000');
    assert.deepEqual(await app.screen(), at45s, 'scrubbing back to 45s: the same screen');
    await app.screenshot('stage-crashloop-45s');
    assertClean(session);
  });

  test('the keyboard drives the transport, but not while typing in the editor', async () => {
    const session = await open();
    const { app, page } = session;
    await app.applyPaused(CRASHER);
    await app.header.click(); // focus on the page, not on a control
    await page.keyboard.press('Space');
    await app.pause.waitFor();
    await page.keyboard.press('Space');
    await app.play.waitFor();
    await page.keyboard.press('Home');
    assert.equal(await app.stepsTaken(), 0);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.equal(await app.stepsTaken(), 2);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await app.stepsTaken(), 1);
    await page.keyboard.press('Shift+ArrowRight');
    const afterInstant = await app.stepsTaken();
    assert.ok(afterInstant >= 2, `an instant takes all its steps (${afterInstant})`);
    await page.keyboard.press('End');
    assert.equal(await app.clock.innerText(), '10m0s');
    await page.keyboard.press('Home');
    assert.equal(await app.clock.innerText(), '0s');
    // In the editor, the same keys edit text.
    await app.typeAtStart(' ');
    await page.keyboard.press('ArrowRight');
    assert.equal(await app.stepsTaken(), 0, 'arrows in the editor move the caret, not time');
    assert.ok(await app.play.isVisible(), 'space in the editor does not play');
    assertClean(session);
  });

  test('picking a scenario loads and applies it; reset brings its text back', async () => {
    const session = await open();
    const { app } = session;
    await app.goto();
    await app.scenarioPicker.selectOption('probe-liveness-exec');
    await app.page.getByTestId('scenario-about').waitFor();
    assert.match(await app.textareaValue().catch(() => ''), /livenessProbe/);
    await app.jumpEnd.click();
    assert.ok((await app.page.locator('[data-testid^="pod-default-"][data-uid]').count()) >= 1, 'the scenario runs');
    const groups = await app.scenarioPicker.locator('optgroup').evaluateAll((gs) => gs.map((g) => g.label));
    assert.ok(groups.length >= 3, `grouped by family: ${groups}`);
    await app.typeAtStart('# edited\n');
    assert.match(await app.savedText(), /^# edited/);
    await app.scenarioReset.click();
    assert.doesNotMatch(await app.savedText(), /^# edited/, 'reset puts the scenario text back');
    assertClean(session);
  });

  test('the dark theme styles the stage', async () => {
    const session = await open();
    const { app, page } = session;
    await app.applyPaused(WEB);
    await app.jumpEnd.click();
    await app.themeToggle.click();
    assert.equal(await app.theme(), 'dark');
    // Colours change with a short transition: wait until it settles.
    await page.waitForFunction(
      () => getComputedStyle(document.querySelector('[data-testid="node-worker-1"]')).backgroundColor === 'rgb(17, 24, 38)',
      null,
      { timeout: 5_000 },
    );
    const surface = await app.node('worker-1').evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(surface, 'rgb(17, 24, 38)', 'node boxes use the dark surface');
    const text = await app.narration.evaluate((el) => getComputedStyle(el).color);
    assert.equal(text, 'rgb(230, 235, 244)', 'the narration uses the dark text colour');
    await page.waitForTimeout(300);
    await app.screenshot('stage-dark');
    assertClean(session);
  });

  test('reduced motion: no transitions or animations, and the texts stay', async () => {
    const session = await open();
    const { app } = session;
    await app.page.emulateMedia({ reducedMotion: 'reduce' });
    await app.applyPaused(WEB);
    await app.jumpEnd.click();
    const styles = await app.pod('web').evaluate((el) => {
      const s = getComputedStyle(el);
      const chip = getComputedStyle(el.querySelector('.ctr'));
      const fill = getComputedStyle(document.querySelector('.bar__fill'));
      return {
        pod: [s.transitionDuration, s.animationName],
        chip: [chip.transitionDuration, chip.animationName],
        bar: fill.transitionDuration,
      };
    });
    assert.deepEqual(styles.pod, ['0s', 'none']);
    assert.deepEqual(styles.chip, ['0s', 'none']);
    assert.equal(styles.bar, '0s');
    assert.equal(await app.pod('web').getAttribute('data-status'), 'Running', 'the status text carries the state');
    assertClean(session);
  });

  test('state icons are our own inline SVG with words beside them; no font or icon comes from elsewhere', async () => {
    const session = await open();
    const { app, page } = session;
    await app.applyPaused(CRASHER);
    await app.scrubber.fill('45000');
    // Wide screen: the tabs are toggles (with their box icons); open the panels that draw states.
    for (const id of ['kubelet', 'lifecycle', 'timeline', 'events']) {
      await page.getByTestId(`tab-${id}`).click();
    }
    await page.getByTestId('panel-timeline').locator('.seg').first().waitFor();
    await page.getByTestId('lifecycle-conditions').waitFor();

    const GLYPHS = /[✓✗●○◌▶▷■◆◔▲⚠☑☐★↻✕ℹ◎▣⇩＋↪≡▼☾☀▍]/u;
    const check = async (theme, expected) => {
      const icons = await app.icons();
      assert.ok(icons.length >= 30, `${theme}: the page draws its states with icons (${icons.length})`);
      for (const icon of icons) {
        const what = `${theme}: ${icon.name} (${JSON.stringify(icon.words.slice(0, 60))})`;
        assert.ok(icon.tag === 'svg' && icon.svg, `${what} is inline SVG`);
        assert.equal(icon.ariaHidden, 'true', `${what} is hidden from screen readers`);
        assert.equal(icon.focusable, 'false', `${what} is not focusable`);
        assert.ok(icon.paths >= 1, `${what} has its own path data`);
        assert.equal(icon.references, 0, `${what} refers to nothing outside itself`);
        assert.notEqual(icon.words, '', `${what} has words beside it or a labelled control`);
        assert.ok(icon.paint.length > 0 && icon.paint.every((p) => p === icon.color), `${what} is drawn in currentColor`);
        if (icon.rendered && !icon.inButton) {
          assert.ok(Math.abs(icon.height - icon.fontSize) <= 0.5, `${what} is one text line (1em) high: ${icon.height} vs ${icon.fontSize}`);
        }
      }
      const names = new Set(icons.map((i) => i.name));
      for (const name of expected) assert.ok(names.has(`icon--${name}`), `${theme}: ${name} is shown (${[...names].join(' ')})`);
      assert.doesNotMatch(await app.ownText(), GLYPHS, `${theme}: no state glyph is drawn with a font character`);
    };
    const common = ['jump-start', 'step-back', 'play', 'step-forward', 'jump-end', 'checkbox-on', 'restart', 'diamond', 'dot', 'check'];
    await check('light', [...common, 'sun']);
    await app.themeToggle.click();
    assert.equal(await app.theme(), 'dark');
    await page.waitForTimeout(400);
    await check('dark', [...common, 'moon']);
    await app.screenshot('stage-icons-dark');

    // Nothing is fetched for icons or fonts from anywhere but the site: no icon file at all
    // (only the favicon), no font from another origin.
    const own = (url) => url.startsWith(`${ORIGIN}/`) || url.startsWith('data:') || url.startsWith('blob:');
    const fonts = session.resources.filter((r) => r.type === 'font' || /\.(woff2?|ttf|otf|eot)(\?|$)/.test(r.url));
    assert.deepEqual(fonts.filter((r) => !own(r.url)), [], 'fonts come from the site only');
    const images = session.resources.filter((r) => r.type === 'image' || /\.(svg|png|gif|ico)(\?|$)/.test(r.url));
    assert.deepEqual(images.filter((r) => !/\/favicon[^/]*\.svg$/.test(r.url)).map((r) => r.url), [], 'icons are inline: no icon file is fetched');
    assertClean(session);
  });

  test('a whole session (scenario, playback, every panel, theme) makes no off-origin request', async () => {
    const session = await open();
    const { app, page } = session;
    await app.goto();
    await app.waitForMonaco();
    await app.scenarioPicker.selectOption('restart-always-exit1');
    await app.speed.selectOption('16');
    await page.waitForTimeout(1500);
    await app.jumpEnd.click();
    for (const id of ['scheduler', 'kubelet', 'lifecycle', 'timeline', 'events', 'terminal', 'yaml']) {
      const tab = page.getByTestId(`tab-${id}`);
      if (await tab.count()) await tab.click();
    }
    await app.themeToggle.click();
    await page.waitForTimeout(500);
    await app.screenshot('stage-whole-session');
    assertClean(session);
  });
});
