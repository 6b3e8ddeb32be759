/**
 * A cell's text as a reader sees it: one line per line, spaces and tabs collapsed, non-breaking spaces
 * read as spaces, no empty lines.
 */
export function tidyLines(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}
