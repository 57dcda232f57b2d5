// Accounts over time, through the pages: a member who forgot their password gets a one-time link
// from an administrator (there is no e-mail: the admin sends it) and sets a new one, which signs
// out their other browsers; a member renames themselves and changes their password on their
// account page; an administrator makes a member an administrator.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { createFixtureMeeting, expectAccessible, signInAsOrganiser, startE2E, type E2E, type MeetingFixture } from './browser.js';

let e2e: E2E;
let fixture: MeetingFixture;
const MEMBER = { email: 'fritz@example.org', password: 'the first password' };

beforeAll(async () => {
  e2e = await startE2E();
  fixture = await createFixtureMeeting(e2e.server);
  const post = async (path: string, body: unknown, cookie?: string) => {
    const response = await fetch(`${e2e.server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: e2e.server.url, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { token: string };
  };
  const invite = await post('/api/invites', { email: MEMBER.email }, fixture.cookie);
  await post('/api/invites/accept', { token: invite.token, name: 'Fritz Mueller', password: MEMBER.password });
});
afterEach((context) => e2e.afterTest(context));
afterAll(async () => {
  await e2e?.close();
});

async function signIn(page: import('playwright-core').Page, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(MEMBER.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Meetings' }).waitFor();
}

test('a forgotten password: a link from an administrator sets a new one and signs out the other browsers; the account page renames and changes the password', async () => {
  // Fritz is signed in on his laptop, and has forgotten his password on his desktop.
  const laptop = await e2e.user();
  await signIn(laptop.page, MEMBER.password);
  const desktop = await e2e.user();
  await desktop.page.goto('/login');
  await desktop.page.getByText('Forgot your password? An administrator of your Quorum can give you a link to set a new one.').waitFor();

  // The administrator makes him a link, and makes him an administrator while there.
  const admin = await e2e.user();
  await signInAsOrganiser(admin.context, fixture, e2e.server.url);
  await admin.page.goto('/members');
  await admin.page.getByRole('cell', { name: 'Fritz Mueller', exact: true }).waitFor();
  await admin.page.getByRole('button', { name: 'A password link for Fritz Mueller' }).click();
  const link = await admin.page.getByTestId('password-link').inputValue();
  expect(link).toMatch(/\/reset-password\?token=[A-Za-z0-9_-]{43}$/);
  await admin.page.getByLabel('Role of Fritz Mueller').selectOption('admin');
  await expectAccessible(admin.page, 'the members page with a password link');

  await desktop.page.goto(link);
  await desktop.page.getByRole('heading', { name: 'Set a new password' }).waitFor();
  await desktop.page.getByText(MEMBER.email).waitFor();
  await expectAccessible(desktop.page, 'the password link page');
  await desktop.page.getByLabel(/^New password/).fill('the second password');
  await desktop.page.getByRole('button', { name: 'Set password' }).click();
  await desktop.page.getByRole('heading', { name: 'Meetings' }).waitFor();
  // An administrator now: the members page is his too.
  await desktop.page.getByRole('link', { name: 'Members' }).waitFor();
  // The laptop is signed out; the link is used up.
  await laptop.page.goto('/actions');
  await laptop.page.getByRole('heading', { name: 'Sign in to Quorum' }).waitFor();
  const again = await e2e.user();
  await again.page.goto(link);
  await again.page.getByRole('heading', { name: 'This link cannot be used' }).waitFor();

  // His account page, from his name in the top bar.
  await desktop.page.getByRole('link', { name: 'Fritz Mueller' }).click();
  await desktop.page.getByRole('heading', { name: 'Your account' }).waitFor();
  await expectAccessible(desktop.page, 'the account page');
  await desktop.page.getByLabel(/^Your name/).fill('Fritz Müller');
  await desktop.page.getByRole('button', { name: 'Save name' }).click();
  await desktop.page.getByText('Your name is changed.').waitFor();
  await desktop.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fritz Müller' }).waitFor();

  await signIn(laptop.page, 'the second password');
  await desktop.page.getByLabel('Current password').fill('not the password');
  await desktop.page.getByLabel(/^New password/).fill('the third password');
  await desktop.page.getByRole('button', { name: 'Change password' }).click();
  await desktop.page.getByRole('alert').getByText('The current password is wrong.').waitFor();
  await desktop.page.getByLabel('Current password').fill('the second password');
  await desktop.page.getByRole('button', { name: 'Change password' }).click();
  await desktop.page.getByText('Your password is changed. Your other browsers and devices are signed out.').waitFor();
  await e2e.screenshot(desktop.page, 'account-page');
  // This browser stays signed in; the laptop is signed out again, and the new password works.
  await desktop.page.goto('/actions');
  await desktop.page.getByRole('heading', { name: 'Actions' }).waitFor();
  await laptop.page.goto('/actions');
  await laptop.page.getByRole('heading', { name: 'Sign in to Quorum' }).waitFor();
  await signIn(laptop.page, 'the third password');
});
