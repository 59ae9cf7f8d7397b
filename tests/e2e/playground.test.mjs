// Browser tests of the page shell, against the release build (see scripts/test.sh).
// Runner: node:test. Driver: playwright-core with Debian's Chromium.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { BASE_URL, useBrowser } from './fixtures/browser.mjs';
import { PlaygroundPage } from './fixtures/playground.mjs';

const ORIGIN = new URL(BASE_URL).origin;

/** Requests that left the page's origin (data: and blob: URLs never leave the browser). */
function offOrigin(requests) {
  return requests.filter(
    (url) => !url.startsWith(`${ORIGIN}/`) && !url.startsWith('data:') && !url.startsWith('blob:'),
  );
}

function assertClean(session) {
  assert.deepEqual(session.errors, [], 'the console shows no errors');
  assert.deepEqual(offOrigin(session.requests), [], 'no request leaves the page origin');
}

function marker() {
  return `#e2e-${Date.now().toString(36)}`;
}

describe('Pod Playground page', () => {
  const open = useBrowser(PlaygroundPage);

  test('loads with its title, shell and editor; Monaco arrives from the same origin', async (t) => {
    const session = await open();
    const { app, page } = session;
    await app.recordFirstEditorKind();
    const started = Date.now();
    await app.goto();
    const mountedMs = Date.now() - started;
    assert.equal(await page.title(), 'Pod Playground');
    assert.equal(await app.header.innerText(), 'Pod Playground');
    for (const part of [app.editor, app.apply, app.themeToggle, app.cluster, app.panels]) {
      assert.ok(await part.isVisible(), 'every part of the shell is visible');
    }
    assert.equal(await app.firstEditorKind(), 'textarea', 'the page paints with the plain editor first');
    assert.match(await app.textareaValue(), /kind: Pod/);

    await app.waitForMonaco();
    const monacoMs = Date.now() - started;
    t.diagnostic(`app mounted after ${mountedMs} ms, Monaco ready after ${monacoMs} ms`);
    assert.equal(await app.monacoHost.getAttribute('data-mode-id'), 'yaml', 'Monaco edits YAML');
    assert.match(await app.monacoVisibleText(), /kind: Pod/);
    assert.ok(session.requests.some((url) => url.endsWith('/monaco/editor.js')), 'Monaco is served by the site');
    assert.ok(await app.textarea.isHidden(), 'the textarea steps aside');
    // Let the YAML worker start and validate, so its requests are recorded too.
    await page.waitForTimeout(500);
    await app.screenshot('page-light-monaco');
    assertClean(session);
  });

  test('typing in Monaco and reloading keeps the text', async () => {
    const session = await open();
    const { app } = session;
    await app.goto();
    await app.waitForMonaco();
    const text = marker();
    await app.typeAtStart(`${text}\n`);
    assert.ok((await app.savedText()).startsWith(text), 'the text is autosaved at once');
    await app.reload();
    assert.ok((await app.textareaValue()).startsWith(text), 'the plain editor shows the saved text');
    await app.waitForMonaco();
    assert.match(await app.monacoVisibleText(), new RegExp(text));
    assertClean(session);
  });

  test('Monaco underlines YAML syntax errors (monaco-yaml worker)', async () => {
    const session = await open();
    const { app, page } = session;
    await app.goto();
    await app.waitForMonaco();
    await app.typeAtStart('broken: [unclosed\n');
    await page.locator('[data-testid="editor-monaco"] .squiggly-error').first().waitFor({ timeout: 10_000 });
    assert.ok(session.requests.some((url) => url.endsWith('/monaco/yaml.worker.js')), 'the YAML worker runs');
    assertClean(session);
  });

  test('the textarea works, and keeps its text across reloads, when Monaco is blocked', async () => {
    const session = await open();
    const { app, context } = session;
    await context.route('**/monaco/**', (route) => route.abort());
    await app.goto();
    await app.waitForFallback();
    assert.equal(await app.editorKind(), 'textarea');
    assert.ok(await app.textarea.isVisible());
    const text = marker();
    await app.typeAtStart(`${text}\n`);
    await app.reload();
    await app.waitForFallback();
    assert.ok((await app.textareaValue()).startsWith(text));
    await app.screenshot('page-textarea-fallback');
    // Only our own blocked requests may fail; nothing else may complain.
    const unexpected = session.errors.filter((e) => !/Failed to load resource|net::ERR_FAILED/.test(e));
    assert.deepEqual(unexpected, []);
    assert.deepEqual(offOrigin(session.requests), []);
  });

  test('the theme toggle switches light/dark, reaches Monaco, and is remembered', async () => {
    const session = await open();
    const { app, page } = session;
    await app.goto();
    await app.waitForMonaco();
    assert.equal(await app.theme(), 'light', 'follows the system (light) by default');
    await app.themeToggle.click();
    assert.equal(await app.theme(), 'dark');
    assert.equal(await app.themeToggle.getAttribute('aria-pressed'), 'true');
    await page.waitForFunction(() => document.querySelector('.monaco-editor.vs-dark'));
    await app.reload();
    assert.equal(await app.theme(), 'dark', 'the choice survives a reload');
    await app.waitForMonaco();
    await page.waitForTimeout(300);
    await app.screenshot('page-dark-monaco');
    await app.themeToggle.click();
    assert.equal(await app.theme(), 'light');
    assertClean(session);
  });

  test('Apply (button and Ctrl+Enter) runs the manifest in the cluster view', async () => {
    const session = await open();
    const { app, page } = session;
    await app.goto();
    const transport = page.getByTestId('transport');
    await app.apply.click();
    await page.locator('[data-testid="transport"][data-revision="1"]').waitFor();
    await page.getByTestId('pod-default-hello').waitFor();
    await app.waitForMonaco();
    await app.monacoHost.locator('.view-lines').click();
    await page.keyboard.press('Control+Enter');
    await page.locator('[data-testid="transport"][data-revision="2"]').waitFor();
    assert.equal(await transport.getAttribute('data-revision'), '2');
    assertClean(session);
  });

  test('a panic shows a readable banner and the text survives', async () => {
    const session = await open();
    const { app, page } = session;
    await app.goto();
    await app.waitForMonaco();
    const text = marker();
    await app.typeAtStart(`${text}\n`);
    await app.goto('?debug=panic');
    await app.panicBanner.waitFor();
    assert.match(await app.panicBanner.innerText(), /internal error/);
    assert.match(await app.panicBanner.innerText(), /Your manifest is safe/);
    assert.ok(await app.editor.isVisible(), 'the editor stays on screen');
    assert.ok((await app.textareaValue()).startsWith(text), 'the editor still holds the text');
    assert.ok((await app.savedText()).startsWith(text), 'the text is still saved');
    await page.waitForTimeout(300);
    await app.screenshot('page-panic-banner');
    assert.deepEqual(offOrigin(session.requests), []);
  });

  test('fits a 768px wide tablet without horizontal scrolling', async () => {
    const session = await open({ viewport: { width: 768, height: 1024 } });
    const { app, page } = session;
    await app.goto();
    await app.waitForMonaco();
    await app.screenshot('page-768px');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.equal(overflow, 0, 'no horizontal overflow at 768px');
    // Stacked, in order, without overlapping: editor, cluster, panels, footer.
    const boxes = [];
    for (const part of [app.editor, app.cluster, app.panels, page.locator('footer')]) {
      boxes.push(await part.boundingBox());
    }
    for (let i = 1; i < boxes.length; i++) {
      assert.ok(boxes[i - 1].y + boxes[i - 1].height <= boxes[i].y + 0.5, `part ${i} starts below part ${i - 1}`);
    }
    assertClean(session);
  });
});
