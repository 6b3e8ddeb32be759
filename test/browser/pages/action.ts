import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { ProgressFormPage, RatingFormPage } from './assurance.ts';
import { ClaspPage } from './clasp-page.ts';
import { RecommendationPage } from './recommendation.ts';
import { escapeRegExp, squash, type Link } from './text.ts';

/*
 * An action of the plan: what it is, its rating and history, its progress and evidence, and what a
 * person may do with it.
 */

export interface RatingHistoryRow {
  date: string;
  decision: string;
  rating: string;
  by: string;
  why: string;
}

export interface ProgressEntry {
  date: string;
  illustrative: boolean;
  byline: string;
  text: string;
}

export class ActionPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string, reviewId: number, actionId: number): Promise<ActionPage> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/actions/${actionId}`);
  }

  async smartAction(): Promise<string> {
    return (await this.sectionParagraphs('SMART action')).join('\n');
  }

  /** The line under "Rating": the current tag and what it means ("Agreed Blue."). */
  async ratingStatus(): Promise<{ tag: string; status: string }> {
    const h2 = this.page.locator('main h2', { hasText: /^Rating$/ });
    const line = h2.locator('xpath=following-sibling::p[1]');
    const tag = squash(await line.locator('.nhsuk-tag').textContent());
    const whole = squash(await line.textContent());
    return { tag, status: whole.slice(tag.length).trim() };
  }

  ratingHistoryTable(): Locator {
    return this.table('Rating history');
  }

  async ratingHistory(): Promise<RatingHistoryRow[]> {
    const rows = await this.tableRows(this.ratingHistoryTable().locator('tbody tr'));
    return rows.map((cells) => ({
      date: cells[0]?.text ?? '',
      decision: (cells[1]?.text ?? '').replace(/\s*Illustrative$/, ''),
      rating: cells[2]?.tags[0] ?? '',
      by: cells[3]?.text ?? '',
      why: cells[4]?.text ?? '',
    }));
  }

  async progress(): Promise<ProgressEntry[]> {
    const items = await this.page.locator('main ol.clasp-progress > li').evaluateAll((elements) =>
      elements.map((li) => ({
        heading: li.querySelector('h3')?.textContent ?? '',
        tags: [...(li.querySelector('h3')?.querySelectorAll('.nhsuk-tag') ?? [])].map((t) => t.textContent),
        paragraphs: [...li.querySelectorAll(':scope > p')].map((p) => p.textContent),
      })),
    );
    return items.map((item) => {
      const tags = item.tags.map(squash);
      let date = squash(item.heading);
      for (const tag of tags) date = date.replace(new RegExp(`\\s*${escapeRegExp(tag)}$`), '');
      return {
        date,
        illustrative: tags.includes('Illustrative'),
        byline: squash(item.paragraphs[0]),
        text: item.paragraphs.slice(1, -1).map(squash).join('\n'),
      };
    });
  }

  async evidenceTitles(): Promise<string[]> {
    return this.page.evaluate(() => {
      const h2 = [...document.querySelectorAll('main h2')].find((h) => h.textContent.trim() === 'Evidence');
      const list = h2?.nextElementSibling;
      if (!list || list.tagName !== 'UL') return [];
      return [...list.querySelectorAll('h3')].map((h) => h.textContent.replace(/\s+/g, ' ').trim());
    });
  }

  /** The "For recommendation 1.1: …" line at the top of the page. */
  async recommendationLink(): Promise<Link> {
    const [link] = await this.links(this.page.locator('main p', { hasText: /^\s*For recommendation/ }).locator('a'));
    assert.ok(link, `a link back to the recommendation on ${this.url()}`);
    return link;
  }

  async clickRecommendationLink(): Promise<RecommendationPage> {
    await this.follow(this.page.locator('main p', { hasText: /^\s*For recommendation/ }).locator('a'));
    return new RecommendationPage(this.page, this.baseUrl);
  }

  /** How many "Post a progress update" buttons the page offers: none to a person who may only view. */
  async progressUpdateButtonCount(): Promise<number> {
    return this.page.getByRole('button', { name: 'Post a progress update' }).count();
  }

  async startProgressUpdate(): Promise<ProgressFormPage> {
    await this.page.getByRole('button', { name: 'Post a progress update' }).click();
    return new ProgressFormPage(this.page, this.baseUrl);
  }

  /** Accepts a piece of evidence, by its title, as the peer challenge group's reviewer. */
  async acceptEvidence(title: string): Promise<ActionPage> {
    await this.page.getByRole('button', { name: `Accept ${title}` }).click();
    return new ActionPage(this.page, this.baseUrl);
  }

  async startRatingDecision(): Promise<RatingFormPage> {
    await this.page.getByRole('button', { name: 'Agree or challenge the rating' }).click();
    return new RatingFormPage(this.page, this.baseUrl);
  }
}
