/**
 * A small HTTP client for the API tests: JSON in and out, a member's cookie or a share token,
 * and helpers that make the accounts and meetings most tests need.
 */
import { dmltMeeting } from '../../fixtures/index.js';
import type { TestServer } from '../../helpers/server.js';
import type { CreatedMeeting, CreateMeetingBody, User } from '../../../shared/api/index.js';

/** Any running server: the in-process test server or a child process. */
export type Target = Pick<TestServer, 'url'>;

export interface Credentials {
  /** `quorum_session=…` as a Cookie header value. */
  cookie?: string;
  /** A share token, sent as `?token=`. */
  token?: string;
  /** A share token, sent as `Authorization: Bearer`. */
  bearer?: string;
}

export interface ApiOptions extends Credentials {
  body?: unknown;
  headers?: Record<string, string>;
}

// Tests read arbitrary fields of answers (errors included); `any` is the honest default here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function api<T = any>(server: Target, method: string, path: string, options: ApiOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.cookie) headers.cookie = options.cookie;
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  let url = `${server.url}${path}`;
  if (options.token !== undefined) url += `${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(options.token)}`;
  const response = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // Not JSON: keep the text for the assertion message.
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

export function sessionCookie(response: ApiResponse): string {
  const header = response.headers.get('set-cookie');
  if (!header) throw new Error(`no session cookie in a ${response.status} answer: ${JSON.stringify(response.body)}`);
  return header.split(';', 1)[0]!;
}

export interface Account {
  user: User;
  cookie: string;
  password: string;
}

export async function setupAdmin(server: Target, email = 'admin@example.org'): Promise<Account> {
  const password = 'correct horse battery';
  const response = await api(server, 'POST', '/api/setup', { body: { email, password, name: 'Ada Admin' } });
  if (response.status !== 201) throw new Error(`setup failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { user: response.body.user, cookie: sessionCookie(response), password };
}

/** Invites and signs up a member through the API, as a person would. */
export async function addMember(server: Target, admin: Account, email: string, name: string): Promise<Account> {
  const invite = await api(server, 'POST', '/api/invites', { cookie: admin.cookie, body: { email } });
  if (invite.status !== 201) throw new Error(`invite failed: ${invite.status} ${JSON.stringify(invite.body)}`);
  const password = `pw-${name}-secret`;
  const accepted = await api(server, 'POST', '/api/invites/accept', { body: { token: invite.body.token, name, password } });
  if (accepted.status !== 201) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return { user: accepted.body.user, cookie: sessionCookie(accepted), password };
}

/** The leadership-meeting fixture, without its explanatory `about`. */
export function dmltFixture(): CreateMeetingBody {
  return dmltMeeting<CreateMeetingBody>();
}

export async function createMeeting(server: Target, owner: Account, overrides: Partial<CreateMeetingBody> = {}): Promise<CreatedMeeting> {
  const body: CreateMeetingBody = { title: 'Weekly sync', startDate: '2030-01-07', attendees: [{ name: 'Robert Lupton', handle: 'RHL' }], ...overrides };
  const response = await api<CreatedMeeting>(server, 'POST', '/api/meetings', { cookie: owner.cookie, body });
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export const linkToken = (meeting: { links: readonly { role: string; token: string }[] }, role: 'notetaker' | 'follower'): string => meeting.links.find((l) => l.role === role)!.token;
