// Quorum behind a real nginx (Debian's package) that terminates TLS with a self-signed
// certificate, configured with the example the README ships (scripts/deploy/nginx-quorum.conf):
// sign in, open a meeting over wss://, type, and follow it from another browser.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFixtureMeeting, expectAccessible, linkFor, NOTES, placeCaretAtEnd, startE2E, type E2E, type MeetingFixture } from './browser.js';
import { waitFor } from '../helpers/wait.js';
import { freePort } from '../helpers/processes.js';

const EXAMPLE = fileURLToPath(new URL('../../scripts/deploy/nginx-quorum.conf', import.meta.url));

let e2e: E2E;
let meeting: MeetingFixture;
let nginx: ChildProcess;
let dir: string;
let proxy: string;
const nginxLog: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quorum-nginx-'));
  // nginx's workers run as an unprivileged user when started by root; they need the temp paths.
  chmodSync(dir, 0o755);
  const port = await freePort();
  proxy = `https://127.0.0.1:${port}`;
  e2e = await startE2E({ publicUrl: proxy, trustProxy: ['127.0.0.1'] }, { ignoreHTTPSErrors: true });
  meeting = await createFixtureMeeting(e2e.server);

  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  const upstream = new URL(e2e.server.url).host;
  // The shipped example, with this machine's names, ports and files; its plain-HTTP redirect left out.
  const site = readFileSync(EXAMPLE, 'utf8')
    .replace(/\n# Plain HTTP only redirects\.[\s\S]*$/, '\n')
    .replace('server 127.0.0.1:3000;', `server ${upstream};`)
    .replace('listen 443 ssl;', `listen 127.0.0.1:${port} ssl;`)
    .replaceAll('notes.example.org;', '127.0.0.1;')
    .replace('/etc/ssl/certs/notes.example.org.pem', join(dir, 'cert.pem'))
    .replace('/etc/ssl/private/notes.example.org.key', join(dir, 'key.pem'));
  expect(site).toContain(`server ${upstream};`);
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, temp));
  writeFileSync(join(dir, 'site.conf'), site);
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  include ${join(dir, 'site.conf')};
}
`,
  );
  nginx = spawn(existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  nginx.stderr!.on('data', (chunk: Buffer) => nginxLog.push(chunk.toString()));
  await waitFor(
    async () => {
      if (nginx.exitCode !== null) throw new Error(`nginx exited: ${nginxLog.join('')}`);
      const user = await e2e.user();
      try {
        const response = await user.page.request.get(`${proxy}/readyz`);
        return response.status() === 200;
      } catch {
        return false;
      } finally {
        await user.context.close();
      }
    },
    { message: 'nginx in front of the server' },
  );
});

afterAll(async () => {
  await e2e?.close();
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((resolve) => nginx.once('exit', resolve));
    // Fast shutdown: a graceful one would wait for the (hour-long) collaboration sockets.
    nginx.kill('SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('sign in over https, type over wss://, and a follower sees it live', async () => {
  const organiser = await e2e.user();
  await organiser.page.goto(`${proxy}/login`);
  await organiser.page.getByLabel('E-mail').waitFor();
  await expectAccessible(organiser.page, 'the sign-in page');
  await organiser.page.getByLabel('E-mail').fill('admin@example.org');
  await organiser.page.getByLabel('Password').fill('correct horse battery');
  await organiser.page.getByRole('button', { name: 'Sign in' }).click();
  // Signed in: the session cookie is Secure (the server knows it is reached over https).
  await waitFor(async () => (await organiser.context.cookies(proxy)).some((c) => c.name === 'quorum_session'), { message: 'a session cookie' });
  const cookie = (await organiser.context.cookies(proxy)).find((c) => c.name === 'quorum_session')!;
  expect(cookie.secure).toBe(true);
  expect(cookie.httpOnly).toBe(true);

  const sockets: string[] = [];
  organiser.page.on('websocket', (socket) => sockets.push(socket.url()));
  await organiser.page.goto(`${proxy}/m/${meeting.id}?session=${meeting.sessions[0]!.id}`);
  await organiser.page.locator('[data-testid="connection"].conn-connected').waitFor();
  expect(sockets.some((url) => url.startsWith(`wss://127.0.0.1:${new URL(proxy).port}/collab/`))).toBe(true);

  const follower = await e2e.user('Finn Follower');
  await follower.page.goto(`${proxy}${linkFor(meeting, 'follower')}&session=${meeting.sessions[0]!.id}`);
  await follower.page.locator('[data-testid="connection"].conn-connected').waitFor();

  await placeCaretAtEnd(organiser.page, organiser.page.locator(`${NOTES} h3:has-text("Project news and updates") ~ p`).first());
  await organiser.page.keyboard.type('Typed through nginx over TLS', { delay: 10 });
  await follower.page.locator(NOTES, { hasText: 'Typed through nginx over TLS' }).waitFor();
  // Stored, as for any edit: the server's document has it.
  await waitFor(() => {
    const room = e2e.server.app.collab.get(meeting.sessions[0]!.doc);
    return room ? JSON.stringify(room.doc.toJSON()).includes('Typed through nginx over TLS') : false;
  });
  await e2e.screenshot(follower.page, 'behind-proxy-follower');
});
