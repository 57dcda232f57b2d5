import { startE2E, createFixtureMeeting, linkFor, NOTES, settle } from '/work/main/test/e2e/browser.js';
const e2e = await startE2E();
try {
  const m = await createFixtureMeeting(e2e.server);
  const open = async (n: string) => { const u = await e2e.user(n); u.page.on('console', (msg) => { if (!msg.text().includes('401')) console.log(n, 'console:', msg.type(), msg.text()) }); await u.page.goto(linkFor(m, 'notetaker')); await u.page.locator('[data-testid="connection"].conn-connected').waitFor(); return u.page; };
  const a = await open('Alice'); const b = await open('Bob');
  for (const p of [a, b]) { await p.locator(`${NOTES} h3:has-text("Welcome") ~ p`).first().click(); await p.keyboard.press('End'); await settle(p); }
  await Promise.all([a.keyboard.type('AAAA aaaa AAAA', { delay: 15 }), b.keyboard.type('BBBB bbbb BBBB', { delay: 15 })]);
  await a.waitForTimeout(2000);
  console.log('A:', JSON.stringify((await a.locator(NOTES).innerText()).slice(0, 300)));
  console.log('B:', JSON.stringify((await b.locator(NOTES).innerText()).slice(0, 300)));
  await e2e.screenshot(a, 'debug-a');
} finally { await e2e.close(); }
