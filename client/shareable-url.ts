// Addresses the server makes for others to open (share links, invitations).

/**
 * The server builds link addresses from PUBLIC_URL. Left at its default (a loopback or wildcard
 * host) it is not an address anyone else can open, so the page's own origin is the better guess.
 */
export function shareableUrl(serverUrl: string): string {
  try {
    const url = new URL(serverUrl);
    const local = ['127.0.0.1', 'localhost', '0.0.0.0', '[::]', '[::1]'].includes(url.hostname);
    return local && url.host !== location.host ? `${location.origin}${url.pathname}${url.search}` : serverUrl;
  } catch {
    return serverUrl;
  }
}
