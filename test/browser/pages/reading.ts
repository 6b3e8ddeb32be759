import type { Locator } from 'playwright-core';
import { squash, type Link } from './text.ts';

/*
 * Reading tables and links as shown. Callbacks run in the page declare no named functions: tsx would
 * wrap those in a helper the page does not have.
 */

export interface Cell {
  header: boolean;
  text: string;
  links: Link[];
  tags: string[];
  spans: string[];
}

/**
 * The rows of a table body as shown on a wide screen: each cell's text (without the
 * headings repeated for small screens), links and tags.
 */
export async function readTableRows(rows: Locator): Promise<Cell[][]> {
  const raw = await rows.evaluateAll((trs) =>
    trs.map((tr) =>
      [...tr.querySelectorAll(':scope > td, :scope > th')].map((cell) => {
        const copy = cell.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('.nhsuk-table-responsive__heading').forEach((h) => h.remove());
        copy.querySelectorAll('br').forEach((br) => br.replaceWith(' '));
        return {
          header: cell.tagName === 'TH',
          text: copy.textContent,
          links: [...copy.querySelectorAll('a')].map((a) => ({
            text: a.textContent,
            href: a.getAttribute('href') ?? '',
          })),
          tags: [...copy.querySelectorAll('.nhsuk-tag')].map((t) => t.textContent),
          spans: [...copy.querySelectorAll('span')].map((t) => t.textContent),
        };
      }),
    ),
  );
  return raw.map((row) =>
    row.map((cell) => ({
      header: cell.header,
      text: squash(cell.text),
      links: cell.links.map((l) => ({ text: squash(l.text), href: l.href })),
      tags: cell.tags.map(squash),
      spans: cell.spans.map(squash),
    })),
  );
}

/** Each link's text, as shown, and its address as written. */
export async function readLinks(locator: Locator): Promise<Link[]> {
  return locator.evaluateAll((anchors) =>
    anchors.map((a) => ({
      text: a.textContent.replace(/\s+/g, ' ').trim(),
      href: a.getAttribute('href') ?? '',
    })),
  );
}
