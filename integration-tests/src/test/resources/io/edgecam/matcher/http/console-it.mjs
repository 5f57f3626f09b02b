// Driven by ConsoleBrowserIT. Stdout protocol: LISTENING (Dana's console is open on the alerts
// view; the Java side then runs the second camera), CONFIRMED_ONCE (Dana confirmed and her second
// token was refused; the Java side checks the webhook got nothing and answers GO on stdin), and
// last one JSON line with what the pages showed.
// Env: PLAYWRIGHT_CORE, AXE (axe.min.js), BASE_URL, TOKEN_DANA, TOKEN_DANA2, TOKEN_ELI,
// TOKEN_ADMIN, OUT_DIR.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const { chromium } = await import(process.env.PLAYWRIGHT_CORE);
const base = process.env.BASE_URL;
const out = process.env.OUT_DIR;
const axeSource = fs.readFileSync(process.env.AXE, 'utf8');
const stdin = readline.createInterface({ input: process.stdin });
const nextLine = () => new Promise((resolve) => stdin.once('line', resolve));
const step = (s) => process.stderr.write(`console-it: ${s}\n`);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'edgecam-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1366, height: 768 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const consoleErrors = [];
let expectFailures = false;
context.on('page', watch);
function watch(page) {
  page.on('console', (m) => {
    // A refused action (409) is an expected answer, and so is everything while the test cuts
    // the connection to the matcher.
    if (m.type() === 'error' && !expectFailures && !/status of 409/.test(m.text())) consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('dialog', (d) => d.accept());
}
const first = context.pages()[0] || await context.newPage();
watch(first);

async function signIn(page, token) {
  await page.goto(base);
  await page.fill('#token', token);
  await page.click('#login');
  await page.waitForSelector('#app-view', { state: 'visible' });
}

const incident = (cam) => `[data-incident="clooney/it/${cam}"]`;

async function openIncident(page, cam) {
  await page.waitForSelector(incident(cam));
  const open = await page.$eval(`${incident(cam)} details`, (d) => d.open);
  if (!open) await page.click(`${incident(cam)} summary`);
}

async function axe(page) {
  await page.evaluate(axeSource);
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const result = {};
try {
  step('Dana signs in; the queue is the first view');
  const dana = first;
  await signIn(dana, process.env.TOKEN_DANA);
  await dana.waitForSelector(incident('cam-1'));
  await dana.click('#settings-toggle');
  result.settingsDefault = await dana.$$eval('#settings input', (i) => i.map((x) => x.checked));
  await dana.check('#settings input[name=sound]');
  result.settingsSaved = await dana.evaluate(() => localStorage.getItem('edgecam.settings.dana'));
  await dana.click('#settings-toggle');
  await dana.click('#tab-alerts');
  await dana.waitForSelector('#live.on');
  process.stdout.write('LISTENING\n');

  step('a new alert arrives while Dana looks at another view');
  await dana.waitForFunction(() => document.querySelector('#unread').textContent === '(1 new)', null, { timeout: 120000 });
  result.unread = await dana.textContent('#unread');
  result.title = await dana.title();
  result.announced = await dana.textContent('#announcer');
  await dana.click('#tab-queue');
  await dana.waitForSelector(incident('cam-2'));
  await dana.screenshot({ path: path.join(out, 'console-queue.png') });
  result.firstMatch = await dana.textContent(`${incident('cam-1')} .first`);
  result.firstOnlyOnce = await dana.locator('.incidents .first').count();

  step('phone layout');
  const phone = await context.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await signIn(phone, process.env.TOKEN_DANA);
  await phone.waitForSelector(incident('cam-1'));
  await openIncident(phone, 'cam-1');
  await phone.screenshot({ path: path.join(out, 'console-phone.png') });
  await phone.goto(`${base}#/watchlist`);
  await phone.waitForSelector('[data-entry="clooney"]');
  result.phoneOverflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await phone.fill('#enroll-form input[name=id]', 'p-2');
  await phone.fill('#enroll-form input[name=label]', 'Someone');
  await phone.click('#enroll');
  await phone.waitForSelector('#enroll-form .field-error');
  const box = await phone.locator('#enroll-form .field-error').boundingBox();
  result.phoneFieldError = box && box.y >= 0 && box.y + box.height <= 844
    ? await phone.textContent('#enroll-form .field-error') : 'not in view';
  result.axe = await axe(phone);
  await phone.close();

  step('Dana confirms the first camera\'s alert');
  await openIncident(dana, 'cam-1');
  result.scoreContext = await dana.textContent(`${incident('cam-1')} .incident-body .score-context`);
  result.playback = await dana.getAttribute(`${incident('cam-1')} a[href^="https://nvr.invalid"]`, 'href');
  await dana.click(`${incident('cam-1')} button.confirm`);
  await dana.waitForSelector(`${incident('cam-1')}[data-state="confirmed"]`);
  result.afterOne = await dana.textContent(`${incident('cam-1')} summary`);

  step('Dana, with her second token, cannot confirm it again');
  const dana2 = await context.newPage();
  await signIn(dana2, process.env.TOKEN_DANA2);
  await openIncident(dana2, 'cam-1');
  await dana2.click(`${incident('cam-1')} button.confirm`);
  await dana2.waitForFunction((sel) => document.querySelector(sel).textContent.length > 0,
    `${incident('cam-1')} .action-error`);
  result.refused = await dana2.textContent(`${incident('cam-1')} .action-error`);
  await dana2.close();
  process.stdout.write('CONFIRMED_ONCE\n');
  if ((await nextLine()) !== 'GO') throw new Error('expected GO');

  step('Eli confirms (verified) and rejects the other as a false match');
  const eli = await context.newPage();
  await signIn(eli, process.env.TOKEN_ELI);
  await openIncident(eli, 'cam-1');
  await openIncident(eli, 'cam-2');
  // Eli starts writing the rejection of the second, then confirms the first: the list is
  // re-rendered, and what Eli typed must survive it.
  await eli.selectOption(`${incident('cam-2')} select[name=reason]`, 'false-match');
  await eli.fill(`${incident('cam-2')} input[name=note]`, 'not him: different ears');
  await eli.click(`${incident('cam-1')} button.confirm`);
  await eli.waitForSelector(`${incident('cam-1')}[data-state="verified"]`);
  result.verified = await eli.textContent(`${incident('cam-1')} summary`);
  result.draftKept = await eli.inputValue(`${incident('cam-2')} input[name=note]`);
  await eli.click(`${incident('cam-2')} button.reject`);
  await eli.waitForSelector(`${incident('cam-2')}[data-state="rejected"]`);
  await eli.close();

  step('Dana\'s console followed live; incident screenshot and axe');
  await dana.waitForSelector(`${incident('cam-1')}[data-state="verified"]`);
  await openIncident(dana, 'cam-1');
  await dana.locator(incident('cam-1')).screenshot({ path: path.join(out, 'console-incident.png') });
  result.axe.push(...await axe(dana));

  step('deep link: a reload stays on the view');
  await dana.goto(`${base}#/watchlist`);
  await dana.reload();
  await dana.waitForSelector('[data-entry="clooney"]');
  result.deepLink = String(await dana.isVisible('#view-watchlist')
    && (await dana.getAttribute('#tab-watchlist', 'aria-selected')) === 'true');
  result.expiryWarning = await dana.textContent('[data-entry="clooney"]');
  result.axe.push(...await axe(dana));
  await dana.click('#tab-alerts');
  await dana.waitForSelector('#view-alerts [data-alert-id]');
  result.suggested = await dana.$$eval('#dl-entries option', (o) => o.map((x) => x.value));
  result.axe.push(...await axe(dana));
  await dana.click('#tab-devices');
  await dana.waitForSelector('[data-device="it/cam-1"]');
  result.axe.push(...await axe(dana));

  step('admin: tokens page and audit filter');
  const admin = await context.newPage();
  await signIn(admin, process.env.TOKEN_ADMIN);
  await admin.goto(`${base}#/tokens`);
  await admin.waitForSelector('[data-token]');
  await admin.fill('#token-form input[name=person]', 'fay');
  await admin.fill('#token-form input[name=name]', 'tablet');
  await admin.click('#token-issue');
  await admin.waitForSelector('.secret-value');
  result.secret = await admin.textContent('.secret-value');
  result.axe.push(...await axe(admin));
  const row = admin.locator('[data-token]', { hasText: 'tablet' });
  await row.locator('button').click();
  await admin.waitForFunction(() => [...document.querySelectorAll('[data-token]')]
    .some((r) => r.textContent.includes('tablet') && r.textContent.includes('revoked')));
  result.revoked = await row.textContent();
  await admin.goto(`${base}#/audit`);
  await admin.fill('#audit-filter input[name=actor]', 'person:dana');
  await admin.fill('#audit-filter input[name=action]', 'alert.confirm');
  await admin.click('#audit-filter button[type=submit]');
  await admin.waitForSelector('#audit-body tr');
  result.auditRows = await admin.locator('#audit-body tr').count();
  await admin.click('#audit-verify');
  await admin.waitForSelector('#audit-verified.ok');
  result.chain = await admin.textContent('#audit-verified');
  result.axe.push(...await axe(admin));

  step('error state: the matcher cannot be reached');
  expectFailures = true;
  await admin.route('**/api/**', (r) => r.abort());
  await admin.click('#tab-watchlist');
  await admin.waitForSelector('#watchlist-state.error');
  result.errorState = await admin.textContent('#watchlist-state');
  result.banner = await admin.textContent('#conn-banner');
  await admin.screenshot({ path: path.join(out, 'console-error.png') });
  await admin.close();
  expectFailures = false;

  result.consoleErrors = consoleErrors;
  process.stdout.write(JSON.stringify(result) + '\n');
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  process.exit(0);
} catch (e) {
  step(`failed: ${e.stack || e}`);
  step(`so far: ${JSON.stringify(result)}`);
  for (const p of context.pages()) {
    await p.screenshot({ path: path.join(out, `console-failure-${context.pages().indexOf(p)}.png`), fullPage: true }).catch(() => {});
  }
  await context.close().catch(() => {});
  fs.rmSync(profile, { recursive: true, force: true });
  process.exit(1);
}
