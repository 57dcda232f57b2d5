import type { FastifyRequest } from 'fastify';
import { sanitizeGuestName } from './collab-access.js';

/**
 * The name a versions entry or a seal records for whoever made it: a member's account name; for
 * a guest, the display name its page sends (X-Guest-Name, as its collaboration connection does),
 * marked as a guest's since nobody vouches for it.
 */
export function actorName(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal.kind === 'member') return principal.user.name;
  if (principal.kind === 'guest') {
    const header = request.headers['x-guest-name'];
    const raw = Array.isArray(header) ? header[0] : header;
    return `${sanitizeGuestName(raw ? safeDecode(raw) : null)} (guest)`;
  }
  return 'unknown';
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
