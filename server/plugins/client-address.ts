// Which proxies to believe about the client's address and scheme (TRUST_PROXY), as one function
// used by Fastify (`request.ip`, `request.protocol`) and by the WebSocket upgrade, so the login
// throttle and the per-address socket limit count people behind a reverse proxy, not the proxy.
import type { IncomingMessage } from 'node:http';
import proxyaddr from '@fastify/proxy-addr';
import type { Config } from '../config.js';

export type ProxyTrust = (address: string, hop: number) => boolean;

/** False when no proxy is trusted, else whether to believe the proxy at `address`, `hop` hops away. */
export function proxyTrust(trustProxy: Config['trustProxy']): ProxyTrust | false {
  if (trustProxy === false) return false;
  if (trustProxy === true) return () => true;
  if (typeof trustProxy === 'number') return (_address, hop) => hop < trustProxy;
  return proxyaddr.compile(trustProxy);
}

export function clientAddressOf(trust: ProxyTrust | false): (request: IncomingMessage) => string {
  if (trust === false) return (request) => request.socket.remoteAddress ?? 'unknown';
  return (request) => proxyaddr(request, trust);
}
