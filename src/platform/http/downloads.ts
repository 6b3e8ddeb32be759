/**
 * Content-Disposition (RFC 6266) for a file Clasp sends: an attachment unless asked to be shown
 * inline; an ASCII name for old clients and the UTF-8 name encoded as RFC 8187 says.
 */
export function contentDisposition(fileName: string, { inline = false }: { inline?: boolean } = {}): string {
  const ascii = fileName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\%;]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
