// Driven by ConsoleBrowserIT: Dana's console loses the matcher (READY, then the Java side stops
// it; DOWN once the console shows it), and comes back after the Java side stored an alert during
// the gap and restarted the matcher: the alert must appear without a reload. Last line: JSON.
// Env: PLAYWRIGHT_CORE, BASE_URL, TOKEN, OUT_DIR.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { chromium } = await import(process.env.PLAYWRIGHT_CORE);
const step = (s) => process.stderr.write(`gap-it: ${s}\n`);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'edgecam-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1366, height: 768 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] || await context.newPage();
const result = {};
try {
  await page.goto(process.env.BASE_URL);
  await page.fill('#token', process.env.TOKEN);
  await page.click('#login');
  await page.waitForSelector('[data-incident="gap-before/it/cam-1"]');
  await page.waitForSelector('#live.on');
  await page.evaluate(() => { window.edgecamMarker = 'still the same page'; });
  process.stdout.write('READY\n');

  step('wait for the console to notice the matcher is gone');
  await page.waitForSelector('#conn-banner', { state: 'visible', timeout: 60000 });
  result.banner = await page.textContent('#conn-banner');
  result.devicesNote = await page.textContent('#devices-note');
  await page.screenshot({ path: path.join(out(), 'console-gap-down.png') });
  process.stdout.write('DOWN\n');

  step('wait for the alert of the gap, without a reload');
  await page.waitForSelector('[data-incident="gap-during-the-gap/it/cam-2"]', { timeout: 90000 });
  result.gapAlert = await page.textContent('[data-incident="gap-during-the-gap/it/cam-2"]');
  result.reloaded = await page.evaluate(() => window.edgecamMarker !== 'still the same page');
  await page.waitForSelector('#conn-banner', { state: 'hidden', timeout: 30000 });
  result.bannerAfter = true;
  process.stdout.write(JSON.stringify(result) + '\n');
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  process.exit(0);
} catch (e) {
  step(`failed: ${e.stack || e}; so far ${JSON.stringify(result)}`);
  await page.screenshot({ path: path.join(out(), 'console-gap-failure.png'), fullPage: true }).catch(() => {});
  await context.close().catch(() => {});
  fs.rmSync(profile, { recursive: true, force: true });
  process.exit(1);
}

function out() { return process.env.OUT_DIR; }
