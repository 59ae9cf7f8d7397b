// Browser tests of the detail panels (scheduler, kubelet, lifecycle, timeline, events, terminal,
// YAML) against the release build (see scripts/test.sh). Runner: node:test. Driver:
// playwright-core with Debian's Chromium. Each test loads a manifest (through the autosave key,
// before the page starts), presses Apply and reads the panels through their `data-testid`s.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { artifact, pod, useBrowser } from './fixtures/browser.mjs';
import { EDITOR_TEXT_KEY, PlaygroundPage } from './fixtures/playground.mjs';

const UNSCHEDULABLE = pod(
  'gpu-job',
  `  nodeSelector:
    gpu: "true"
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
`,
);

const CRASH_LOOP = pod(
  'crasher',
  `  restartPolicy: Always
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "echo working; sleep 2; echo failing; exit 1"]
`,
);

const RUNNING = pod(
  'hello',
  `  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "echo hello from the pod; sleep 3600"]
`,
);

/** The page object plus what the panel tests need. */
class PanelsPage extends PlaygroundPage {
  constructor(page) {
    super(page);
    this.terminalInput = page.getByTestId('terminal-input');
    this.terminalOutput = page.getByTestId('terminal-output');
  }

  panel(id) {
    return this.page.getByTestId(`panel-${id}`);
  }

  /** Loads the page with `manifest` in the editor and applies it. */
  async applyManifest(manifest) {
    await this.page.addInitScript(
      ([key, text]) => localStorage.setItem(key, text),
      [EDITOR_TEXT_KEY, manifest],
    );
    await this.goto();
    await this.apply.click();
  }

  /** Makes panel `id` visible: a tab on small screens, a toggle in the wide grid. */
  async show(id) {
    const panel = this.panel(id);
    if (!(await panel.isVisible())) {
      await this.page.getByTestId(`tab-${id}`).click();
    }
    await panel.waitFor();
    return panel;
  }

  /** Pauses at the end of the run (the transport's jump-to-end). */
  async jumpEnd() {
    await this.page.getByTestId('jump-end').click();
  }

  /** Types a command in the terminal, presses Enter, and returns the new output. */
  async run(command) {
    await this.show('terminal');
    const before = await this.terminalOutput.innerText();
    await this.terminalInput.fill(command);
    await this.terminalInput.press('Enter');
    await this.page.waitForFunction(
      ([n]) => document.querySelector('[data-testid="terminal-output"]')?.innerText.length > n,
      [before.length + command.length + 2],
    );
    const after = await this.terminalOutput.innerText();
    return after.slice(before.length);
  }

  /** Seeks to a fraction of the timeline's span by clicking its time axis. */
  async seekFraction(fraction) {
    const axis = (await this.show('timeline')).getByTestId('timeline-axis');
    const box = await axis.boundingBox();
    await axis.click({ position: { x: box.width * fraction, y: box.height / 2 } });
  }

  /** The CrashLoopBackOff segments of the timeline: [from, to|null] in ms. */
  async backOffSegments() {
    return this.panel('timeline')
      .locator('.seg[data-reason="CrashLoopBackOff"]')
      .evaluateAll((els) =>
        els.map((e) => [Number(e.dataset.fromMs), e.dataset.toMs === '' ? null : Number(e.dataset.toMs)]),
      );
  }
}

describe('Pod Playground detail panels', () => {
  const open = useBrowser(PanelsPage);

  function assertNoErrors(session) {
    assert.deepEqual(session.errors, [], 'the console shows no errors');
  }

  test('the scheduler table explains why a pod with nodeSelector gpu: "true" cannot be placed', async () => {
    const session = await open();
    const { app } = session;
    await app.applyManifest(UNSCHEDULABLE);
    await app.jumpEnd();
    const panel = await app.show('scheduler');
    const filters = panel.getByTestId('scheduler-filters');
    await filters.waitFor();
    const table = await filters.innerText();
    assert.match(table, /NodeAffinity/);
    assert.match(table, /node\(s\) didn't match Pod's node affinity\/selector/);
    assert.match(table, /worker-1/);
    assert.match(table, /—/, 'plugins that did not run show a dash');
    const result = await panel.getByTestId('scheduler-result').innerText();
    assert.match(result, /FailedScheduling/);
    assert.match(result, /0\/3 nodes are available: .*2 node\(s\) didn't match Pod's node affinity\/selector/);
    assert.equal(await panel.getByTestId('scheduler-scores').count(), 0, 'no node is feasible, so nothing is scored');
    assert.match(await panel.getByTestId('scheduler-queue').innerText(), /pod\/gpu-job/, 'the pod waits in the queue');
    await panel.screenshot({ path: artifact('panels-scheduler-unschedulable.png') });
    assertNoErrors(session);
  });

  test('a crash-looping pod shows growing back-off gaps on its timeline lane', async () => {
    const session = await open();
    const { app } = session;
    await app.applyManifest(CRASH_LOOP);
    const panel = await app.show('timeline');
    await panel.locator('.seg[data-reason="CrashLoopBackOff"]').first().waitFor();
    const closed = (await app.backOffSegments()).filter(([, to]) => to !== null);
    assert.ok(closed.length >= 3, `at least three finished back-offs (got ${closed.length})`);
    const gaps = closed.map(([from, to]) => to - from);
    for (let i = 1; i < gaps.length; i++) {
      assert.ok(gaps[i] > gaps[i - 1], `each back-off is longer than the one before: ${gaps.join(', ')} ms`);
    }
    assert.ok(gaps[gaps.length - 1] > 2 * gaps[0], 'the back-off keeps doubling');
    assert.ok(await panel.locator('.seg[data-state="terminated"]').count() >= 3, 'each crash ends in a terminated segment');
    assert.ok(await panel.locator('.seg[data-restart="3"]').count() >= 1, 'restarts are counted along the lane');
    // Zoom in and back to fit.
    await panel.getByTestId('timeline-zoom-in').click();
    await panel.getByTestId('timeline-zoom-in').click();
    assert.match(await panel.innerText(), /4×/);
    await panel.getByTestId('timeline-zoom-fit').click();
    // Clicking a segment seeks there: the lifecycle panel shows that moment.
    await panel.locator('.seg[data-reason="CrashLoopBackOff"]').nth(1).click();
    const lifecycle = await app.show('lifecycle');
    await lifecycle.getByTestId('lifecycle-status').waitFor();
    assert.equal(await lifecycle.getByTestId('lifecycle-status').innerText(), 'CrashLoopBackOff');
    assert.match(await lifecycle.locator('[data-phase="Running"]').getAttribute('aria-current'), /true/);
    await app.show('timeline');
    await panel.screenshot({ path: artifact('panels-timeline-crashloop.png') });
    assertNoErrors(session);
  });

  test('the terminal answers get pods, describe pod, logs and exec -- echo hi', async () => {
    const session = await open();
    const { app } = session;
    await app.applyManifest(RUNNING);
    await app.jumpEnd();
    const get = await app.run('kubectl get pods');
    assert.match(get, /\$ kubectl get pods/);
    assert.match(get, /NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
    assert.match(get, /hello\s+1\/1\s+Running\s+0\s+/);
    const describe = await app.run('kubectl describe pod hello');
    assert.match(describe, /Name:\s+hello/);
    assert.match(describe, /Status:\s+Running/);
    assert.match(describe, /Started container app/);
    const logs = await app.run('kubectl logs hello');
    assert.match(logs, /hello from the pod/);
    // exec needs a moment inside the run (at its very end nothing more happens).
    await app.seekFraction(0.5);
    const exec = await app.run('kubectl exec hello -- echo hi');
    assert.match(exec, /^hi$/m);
    const unknown = await app.run('kubectl frobnicate');
    assert.match(unknown, /unknown command "frobnicate"/);
    // History and completion.
    await app.terminalInput.press('ArrowUp');
    assert.equal(await app.terminalInput.inputValue(), 'kubectl frobnicate');
    await app.terminalInput.fill('kubectl desc');
    await app.terminalInput.press('Tab');
    assert.equal(await app.terminalInput.inputValue(), 'kubectl describe ');
    await app.terminalInput.fill('kubectl logs hel');
    await app.terminalInput.press('Tab');
    assert.equal(await app.terminalInput.inputValue(), 'kubectl logs hello ');
    const help = await app.run('help');
    assert.match(help, /exec POD \[-c CONTAINER\] -- CMD/);
    await app.panel('terminal').screenshot({ path: artifact('panels-terminal.png') });
    await app.terminalInput.fill('clear');
    await app.terminalInput.press('Enter');
    assert.equal((await app.terminalOutput.innerText()).trim(), '');
    assertNoErrors(session);
  });

  test('kubectl delete pod forks the timeline: the past stays, the pod ends up gone', async () => {
    const session = await open();
    const { app, page } = session;
    await app.applyManifest(RUNNING);
    // Seek to the moment the container runs (click its Running segment on the timeline).
    const timeline = await app.show('timeline');
    await timeline.locator('.seg[data-state="running"]').first().click();
    const kubelet = await app.show('kubelet');
    const steps = kubelet.getByTestId('kubelet-steps').locator('li[data-step]');
    await steps.first().waitFor();
    const taken = await steps.evaluateAll((els) => els.map((e) => [e.dataset.step, e.innerText]));
    // The steps of the fork's own instant are recomputed (the delete joins them), the earlier
    // ones are kept exactly.
    const instant = (text) => text.split('\n')[0];
    const forkAt = instant(taken[taken.length - 1][1]);
    const before = taken.filter(([, text]) => instant(text) !== forkAt);
    assert.ok(before.length >= 4, 'the sandbox and the pull happened before the delete');

    const out = await app.run('kubectl delete pod hello');
    assert.match(out, /pod "hello" deleted/);
    // The steps before the fork are kept as they were.
    await app.show('kubelet');
    const afterFork = await steps.evaluateAll((els) => els.map((e) => [e.dataset.step, e.innerText]));
    assert.deepEqual(afterFork.slice(0, before.length), before, 'the past is unchanged');
    // The future: the kubelet stops the container and the pod goes away.
    await app.jumpEnd();
    const kubeletText = await kubelet.getByTestId('kubelet-steps').innerText().catch(() => '');
    const gone = await app.run('kubectl get pods');
    assert.match(gone, /No resources found in default namespace\./);
    const events = await app.show('events');
    assert.match(await events.innerText(), /Killing/, 'the kubelet reported stopping the container');
    const lane = (await app.show('timeline')).locator('.tl__lane[data-container="app"] .seg').last();
    assert.equal(await lane.getAttribute('data-state'), 'terminated');
    assert.notEqual(await lane.getAttribute('data-to-ms'), '', 'the lane ends when the pod is removed');
    assert.ok(kubeletText === '' || !/starts again/.test(kubeletText));
    await page.screenshot({ path: artifact('panels-after-delete.png'), fullPage: true });
    assertNoErrors(session);
  });

  test('killing a container forks the timeline with a restart', async () => {
    const session = await open();
    const { app } = session;
    await app.applyManifest(RUNNING);
    const timeline = await app.show('timeline');
    await timeline.locator('.seg[data-state="running"]').first().waitFor();
    assert.equal(await timeline.locator('.seg[data-restart="1"]').count(), 0, 'no restart without the fault');
    // A moment while the container runs (the middle of the lane, after its start).
    await app.seekFraction(0.6);
    const out = await app.run('container kill hello/app');
    assert.doesNotMatch(out, /^error/m);
    await app.show('timeline');
    await timeline.locator('.seg[data-restart="1"]').first().waitFor();
    assert.ok(await timeline.locator('.seg[data-state="terminated"]').count() >= 1, 'the killed instance ends');
    assertNoErrors(session);
  });

  test('clicking an event seeks to the step that emitted it', async () => {
    const session = await open();
    const { app } = session;
    await app.applyManifest(CRASH_LOOP);
    await app.jumpEnd();
    const panel = await app.show('events');
    const scheduled = panel.locator('tr[data-reason="Scheduled"]');
    await scheduled.waitFor();
    assert.equal(await scheduled.getAttribute('aria-current'), null, 'at the end, Scheduled is long past');
    await scheduled.click();
    await panel.locator('tr[data-reason="Scheduled"][aria-current="true"]').waitFor();
    // Only the events up to that step remain.
    assert.equal(await panel.locator('tr[data-reason="BackOff"]').count(), 0, 'no back-off yet right after scheduling');
    const yaml = await app.show('yaml');
    assert.match(await yaml.getByTestId('yaml-text').innerText(), /phase: Pending/, 'the panels show that moment');
    // And a later one.
    await app.jumpEnd();
    await app.show('events');
    await panel.locator('tr[data-reason="Started"] button').click();
    await panel.locator('tr[data-reason="Started"][aria-current="true"]').waitFor();
    await panel.screenshot({ path: artifact('panels-events.png') });
    assertNoErrors(session);
  });

  test('small screens show one panel at a time as tabs; the dark theme keeps the states apart', async () => {
    const session = await open({ viewport: { width: 768, height: 1024 } });
    const { app, page } = session;
    await app.applyManifest(CRASH_LOOP);
    await app.jumpEnd();
    await app.themeToggle.click();
    const tab = page.getByTestId('tab-lifecycle');
    assert.equal(await page.getByTestId('tab-scheduler').getAttribute('role'), 'tab');
    await tab.click();
    assert.equal(await tab.getAttribute('aria-selected'), 'true');
    await app.panel('lifecycle').waitFor();
    assert.equal(await app.panel('scheduler').count(), 0, 'only the chosen panel is shown');
    await tab.press('ArrowRight');
    await app.panel('timeline').waitFor();
    await app.panel('timeline').screenshot({ path: artifact('panels-timeline-dark-768px.png') });
    await page.getByTestId('tab-lifecycle').click();
    await app.panel('lifecycle').screenshot({ path: artifact('panels-lifecycle-dark-768px.png') });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, 'no horizontal overflow at 768px');
    assertNoErrors(session);
  });
});
