import type { Page } from 'playwright-core';
import { ActionPage } from './action.ts';
import { ClaspPage } from './clasp-page.ts';
import { exactly, squash, type Link } from './text.ts';

/* A recommendation of a review, and a finding of the report. */

export interface FindingCard {
  number: string;
  href: string;
  section: string;
  text: string;
}

export interface ActionRow {
  label: string;
  href: string;
  /** The whole first cell: "Action 1: <SMART action text>". */
  summary: string;
  agency: string;
  lead: string;
  due: string;
  rating: string;
}

export class RecommendationPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string, reviewId: number, number: string): Promise<RecommendationPage> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/recommendations/${encodeURIComponent(number)}`);
  }

  async text(): Promise<string> {
    return squash(await this.page.locator('main p.nhsuk-lede-text').first().textContent());
  }

  async rating(): Promise<string> {
    const line = this.page.locator('main p', { hasText: /^\s*Rating:/ }).first();
    return squash(await line.locator('.nhsuk-tag').textContent());
  }

  async findings(): Promise<FindingCard[]> {
    const cards = await this.page.locator('main .nhsuk-card').evaluateAll((elements) =>
      elements.map((card) => ({
        link: card.querySelector('.nhsuk-card__heading a')?.textContent ?? '',
        href: card.querySelector('.nhsuk-card__heading a')?.getAttribute('href') ?? '',
        section: card.querySelector('.nhsuk-u-secondary-text-colour')?.textContent ?? '',
        text: card.querySelector('.nhsuk-card__description')?.textContent ?? '',
      })),
    );
    return cards.map((c) => ({
      number: squash(c.link).replace(/^Finding\s+/, ''),
      href: c.href,
      section: squash(c.section),
      text: squash(c.text),
    }));
  }

  async outcome(): Promise<string> {
    return (await this.sectionParagraphs('Outcome')).join('\n');
  }

  async anticipatedEvidence(): Promise<string> {
    return (await this.sectionParagraphs('Anticipated evidence')).join('\n');
  }

  async actions(): Promise<ActionRow[]> {
    const rows = await this.tableRows(this.table(/^Actions for recommendation/).locator('tbody tr'));
    return rows.map((cells) => ({
      label: cells[0]?.links[0]?.text ?? '',
      href: cells[0]?.links[0]?.href ?? '',
      summary: cells[0]?.text ?? '',
      agency: cells[1]?.text ?? '',
      lead: cells[2]?.text ?? '',
      due: cells[3]?.text ?? '',
      rating: cells[4]?.tags[0] ?? '',
    }));
  }

  async exceptionTexts(): Promise<string[]> {
    return this.page.evaluate(() => {
      const h2 = [...document.querySelectorAll('main h2')].find((h) => h.textContent.trim() === 'Exceptions');
      const list = h2?.nextElementSibling;
      return list ? [...list.querySelectorAll('li')].map((li) => li.textContent.replace(/\s+/g, ' ').trim()) : [];
    });
  }

  async clickAction(label: string): Promise<ActionPage> {
    await this.follow(this.page.locator('main table tbody td a', { hasText: exactly(label) }));
    return new ActionPage(this.page, this.baseUrl);
  }

  async clickFinding(number: string): Promise<FindingPage> {
    await this.follow(this.page.locator('main .nhsuk-card__heading a', { hasText: exactly(`Finding ${number}`) }));
    return new FindingPage(this.page, this.baseUrl);
  }
}

// ---------------------------------------------------------------------------------

export class FindingPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string, reviewId: number, number: string): Promise<FindingPage> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/findings/${encodeURIComponent(number)}`);
  }

  async text(): Promise<string> {
    return squash(await this.page.locator('main p.nhsuk-lede-text').textContent());
  }

  async kind(): Promise<string> {
    return squash(await this.page.locator('main .nhsuk-tag').first().textContent());
  }

  async recommendationLinks(): Promise<Link[]> {
    return this.links(this.page.locator('main ul.nhsuk-list a'));
  }

  async clickRecommendation(number: string): Promise<RecommendationPage> {
    await this.follow(this.page.locator('main ul.nhsuk-list a', { hasText: exactly(`Recommendation ${number}`) }));
    return new RecommendationPage(this.page, this.baseUrl);
  }
}
