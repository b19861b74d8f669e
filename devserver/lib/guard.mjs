// Who may talk to the devserver. It holds root/root and password hashes, so a page on another site
// must not be able to drive it from a developer's browser:
//
// - Host (every request, HTTP and upgrade): the name must be a loopback name or address (localhost,
//   127.0.0.0/8, ::1) or the IP literal the server listens on. A DNS-rebinding page reaches us under
//   its own host name, so it is refused here. The port is not checked: a rebinding page cannot choose
//   the name, and a port-forward or a test proxy on another port (ssh -L, a fault-injecting loopback
//   proxy) legitimately keeps its own port in Host.
// - Origin (WebSocket upgrades): absent is allowed (Go, Node and other non-browser clients send none);
//   otherwise it must be the page's own origin as we serve it: http://<the request's Host>, or
//   http://{127.0.0.1,localhost,[::1]}:PORT, or one given with --allow-origin. Browsers always send
//   Origin on a WebSocket handshake, so a foreign page is always refused.
import net from 'node:net';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Parses an --allow-origin value into its canonical form (scheme://host[:port]); throws on others. */
export function parseOrigin(spec) {
  let url = null;
  try {
    url = /^https?:\/\/[^/?#@]+\/?$/i.test(spec) ? new URL(spec) : null;
  } catch {
    url = null;
  }
  if (!url) throw new Error(`--allow-origin: not an origin: ${JSON.stringify(spec)} (expected scheme://host[:port], e.g. http://localhost:5173)`);
  return url.origin;
}

/** Splits a Host header into a lowercase name (IPv6 in brackets) and a port string (may be ''). */
function splitHost(header) {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d*))?$/i.exec(header);
  return m ? { name: m[1].toLowerCase(), port: m[2] ?? '' } : null;
}

function isLoopback(name) {
  if (LOOPBACK_NAMES.has(name)) return true;
  return net.isIPv4(name) && name.startsWith('127.');
}

/**
 * createGuard({listenHost, allowOrigins}) → {setPort(port), hostProblem(req), originProblem(req)}.
 * Each *Problem returns null when the request may proceed, or the reason to refuse it (one line).
 */
export function createGuard({ listenHost, allowOrigins = [] }) {
  const names = new Set(LOOPBACK_NAMES);
  const listen = net.isIPv6(listenHost) ? `[${listenHost.toLowerCase()}]` : listenHost.toLowerCase();
  if (net.isIP(listenHost) && !['0.0.0.0', '[::]'].includes(listen)) names.add(listen);
  const allowed = new Set(allowOrigins);
  let ownOrigins = [];
  let home = '';

  function setPort(port) {
    const suffix = port === 80 ? '' : `:${port}`;
    ownOrigins = ['127.0.0.1', 'localhost', '[::1]', ...(names.has(listen) ? [listen] : [])].map((n) => `http://${n}${suffix}`);
    home = `http://${names.has(listen) ? listen : '127.0.0.1'}${suffix}/`;
  }

  function hostProblem(req) {
    const header = req.headers.host;
    if (!header) return 'a Host header is required';
    const host = splitHost(header);
    if (host && (names.has(host.name) || isLoopback(host.name))) return null;
    return `Host ${JSON.stringify(header)} is not a loopback name or address: refused to stop DNS rebinding. Open ${home} instead.`;
  }

  function originProblem(req) {
    const origin = req.headers.origin;
    if (origin === undefined) return null;
    const o = String(origin).toLowerCase();
    if (o === `http://${String(req.headers.host).toLowerCase()}` || ownOrigins.includes(o) || allowed.has(o)) return null;
    return `Origin ${JSON.stringify(origin)} may not open /rpc: only pages served by this devserver (${ownOrigins[0]}) may. ` +
      `To allow it, start the devserver with --allow-origin ${o === 'null' ? '<origin>' : o}`;
  }

  return { setPort, hostProblem, originProblem };
}
