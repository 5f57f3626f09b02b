// Driven by DashboardBrowserIT: signs in to the dashboard, enrolls a person through the form,
// says READY on stdout, then waits for the live alert the Java side causes, and takes screenshots.
// Env: PLAYWRIGHT_CORE (file: URL of playwright-core's index.mjs), BASE_URL, TOKEN, IMAGE,
// EXPIRES (YYYY-MM-DD), OUT_DIR (screenshots), DEVICE (site/device of the camera).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { chromium } = await import(process.env.PLAYWRIGHT_CORE);
const out = process.env.OUT_DIR;
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'edgecam-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] || await context.newPage();
const consoleErrors = [];
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
page.on('pageerror', (e) => consoleErrors.push(String(e)));
const step = (s) => process.stderr.write(`dashboard-it: ${s}\n`);

try {
  await page.goto(process.env.BASE_URL);
  step('sign in');
  await page.fill('#token', process.env.TOKEN);
  await page.click('#login');
  await page.waitForSelector('#app-view', { state: 'visible' });

  step('enroll through the form');
  await page.click('#tab-watchlist');
  const form = '#enroll-form';
  await page.fill(`${form} input[name=id]`, 'clooney');
  await page.fill(`${form} input[name=label]`, 'George Clooney');
  await page.fill(`${form} input[name=expires]`, process.env.EXPIRES);
  await page.setInputFiles(`${form} input[name=images]`, process.env.IMAGE);
  // The legal basis is required: the form refuses before anything is sent.
  await page.click('#enroll');
  await page.waitForFunction(() => document.querySelector('#enroll-error').textContent.includes('Legal basis is required'));
  const refused = await page.textContent('#enroll-error');
  await page.fill(`${form} textarea[name=legalBasis]`, 'Browser test: public test photo, no real search');
  await page.click('#enroll');
  await page.waitForFunction(() => document.querySelector('#enroll-ok').textContent.startsWith('Enrolled clooney'), null, { timeout: 120000 });
  const enrolled = await page.textContent('#enroll-ok');
  await page.waitForSelector('[data-entry="clooney"]');

  step('wait for the live alert');
  await page.click('#tab-alerts');
  await page.waitForSelector('#live.on');
  process.stdout.write('READY\n');
  const row = await page.waitForSelector('[data-alert-id]', { timeout: 120000 });
  const alertText = await row.textContent();
  await page.screenshot({ path: path.join(out, 'dashboard-live-alert.png'), fullPage: true });

  step('device list');
  await page.click('#tab-devices');
  const device = await page.waitForSelector(`[data-device="${process.env.DEVICE}"]`, { timeout: 30000 });
  const deviceText = await device.textContent();
  await page.screenshot({ path: path.join(out, 'dashboard-devices.png'), fullPage: true });

  process.stdout.write(JSON.stringify({ refused, enrolled, alert: alertText, device: deviceText, consoleErrors }) + '\n');
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
} catch (e) {
  step(`failed: ${e.stack || e}`);
  await page.screenshot({ path: path.join(out, 'dashboard-failure.png'), fullPage: true }).catch(() => {});
  await context.close().catch(() => {});
  fs.rmSync(profile, { recursive: true, force: true });
  process.exit(1);
}
