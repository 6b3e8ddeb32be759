import type { FastifyRequest } from 'fastify';

/*
 * Secrets never reach the log (OWASP ASVS 7.1.1, 8.3.4): a set-password link carries its single-use
 * token in the path, and a query may carry a token, code or password. The request logger writes
 * each request's address with those parts replaced by "[redacted]".
 */

const REDACTED = '[redacted]';

/** Path segments that a secret follows: /reset-password/<token>. */
const SECRET_PATH = /^(\/reset-password\/)[^/?#]+/u;

/** Query parameters whose values are secrets, whatever the page. */
const SECRET_QUERY = /^(token|access_token|code|secret|password|key|signature|sig)$/iu;

/** A request address as it may be logged: secrets in its path and query replaced. */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?');
  const path = (queryAt === -1 ? url : url.slice(0, queryAt)).replace(SECRET_PATH, `$1${REDACTED}`);
  if (queryAt === -1) return path;
  const query = url
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      return equals !== -1 && SECRET_QUERY.test(safeDecode(name)) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Fastify's own request serializer, with the address redacted. */
export function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket.remotePort,
  };
}
