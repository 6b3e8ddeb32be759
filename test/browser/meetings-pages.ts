import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { expectNoAxeViolations } from './axe.ts';
import { ClaspPage, type DownloadedFile } from './pages/clasp-page.ts';
import { takeProblems } from './pages/problems.ts';
import { exactly, squash } from './pages/text.ts';

/*
 * The meetings pages as the coordinator and the chair use them: the list of meetings, the form
 * that schedules one, and a meeting's page (agenda, pack, attendance, the decisions in one form,
 * the minutes). They read what a person sees: headings, item titles, messages beside fields.
 */

/** Clicks something that sends a form and waits for the page that answers it to load. */
async function sendAndWait(page: Page, control: Locator): Promise<void> {
  assert.equal(await control.count(), 1, `one control to press on ${page.url()}`);
  await Promise.all([page.waitForEvent('load'), control.click()]);
}

/** A date as the three boxes of a date field take it: "2027-01-14" → day 14, month 1, year 2027. */
export function dateBoxes(date: string): { day: string; month: string; year: string } {
  const [year = '', month = '', day = ''] = date.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

/**
 * Axe over the page exactly as shown, for a page that answers a form sent with POST (a refused
 * form shown again): its address cannot be opened again with GET, so the HTML shown is served at
 * that address in a fresh context whose policy refuses every script, as a browser without
 * JavaScript builds it, and checked there.
 */
export async function expectAxeCleanAsShown(page: Page): Promise<void> {
  const html = await page.content();
  const url = page.url();
  const viewport = page.viewportSize();
  const browser = page.context().browser();
  assert.ok(browser, 'the page belongs to a browser');
  const twin = await browser.newContext(viewport ? { viewport } : {});
  try {
    await twin.addCookies(await page.context().cookies());
    await twin.route(url, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        headers: { 'content-security-policy': "script-src 'none'" },
        body: html,
      }),
    );
    const shown = await twin.newPage();
    await shown.goto(url);
    await expectNoAxeViolations(shown);
  } finally {
    await twin.close();
  }
  assert.deepEqual(takeProblems(page), [], `no script, CSP or loading problems on ${url}`);
}

/** A review's meetings: upcoming and past, the quorum, and the way to schedule one. */
export class MeetingsList extends ClaspPage {
  static async goto(page: Page, baseUrl: string, reviewId: number): Promise<MeetingsList> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/meetings`);
  }

  async openSchedule(): Promise<ScheduleMeetingPage> {
    await this.follow(this.page.locator('main a', { hasText: exactly('Schedule a meeting') }));
    return new ScheduleMeetingPage(this.page, this.baseUrl);
  }

  /** Each meeting listed under this heading ("Upcoming meetings"), as its row reads. */
  async meetings(caption: RegExp): Promise<string[]> {
    return (await this.table(caption).locator('tbody tr').allInnerTexts()).map(squash);
  }

  async openMeeting(name: string): Promise<MeetingPage> {
    await this.follow(this.page.locator('main table a', { hasText: name }).first());
    return new MeetingPage(this.page, this.baseUrl);
  }
}

export interface Schedule {
  date: string;
  time: string;
  forum: string;
  place: string;
  title?: string;
  /** Names of members to tick, besides those ticked already. */
  invite?: string[];
  /** One a line: name, organisation, email. */
  guests?: string;
}

/** The form that schedules a meeting. */
export class ScheduleMeetingPage extends ClaspPage {
  /** The members ticked, by the words of their tick boxes. */
  async ticked(): Promise<string[]> {
    const boxes = this.page.locator('input[name="members"]:checked');
    const ids = await boxes.evaluateAll((inputs) => inputs.map((i) => i.id));
    const labels: string[] = [];
    for (const id of ids) labels.push(squash(await this.page.locator(`label[for="${id}"]`).textContent()));
    return labels;
  }

  async fill(s: Schedule): Promise<void> {
    const { day, month, year } = dateBoxes(s.date);
    await this.page.locator('#startsOn-day').fill(day);
    await this.page.locator('#startsOn-month').fill(month);
    await this.page.locator('#startsOn-year').fill(year);
    await this.page.getByLabel('Time it starts').fill(s.time);
    await this.page.getByRole('radio', { name: s.forum, exact: true }).check();
    if (s.title) await this.page.getByLabel('Title (optional)').fill(s.title);
    await this.page.getByLabel('Place or link to join').fill(s.place);
    for (const name of s.invite ?? []) await this.page.getByRole('checkbox', { name }).check();
    if (s.guests) await this.page.getByLabel('Guests (optional)').fill(s.guests);
  }

  /** Schedules the meeting, which leads to its page. */
  async schedule(): Promise<MeetingPage> {
    await sendAndWait(this.page, this.page.getByRole('button', { name: 'Schedule the meeting', exact: true }));
    return new MeetingPage(this.page, this.baseUrl);
  }
}

/** One agenda item as shown: the organisation heading it sits under, its number and its title. */
export interface AgendaLine {
  heading: string;
  number: number;
  title: string;
}

/** What the chair enters for one item; each part is left as it is when not given. */
export interface Decision {
  decision?: string;
  rating?: string;
  rationale?: string;
  overrideReason?: string;
  reason?: string;
  request?: string;
  requestDue?: string;
  note?: string;
}

/** A meeting's page: its agenda, the pack, attendance and quorum, the decisions and the minutes. */
export class MeetingPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string, reviewId: number, meetingId: number): Promise<MeetingPage> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/meetings/${meetingId}`);
  }

  /** The meeting's id, from the page's address. */
  meetingId(): number {
    const id = /\/meetings\/(\d+)/.exec(this.path())?.[1];
    assert.ok(id, `a meeting's address: ${this.path()}`);
    return Number(id);
  }

  /** The confirmation banner's words, or '' when there is none. */
  async banner(): Promise<string> {
    const banner = this.page.locator('.nhsuk-notification-banner--success');
    return (await banner.count()) ? squash(await banner.innerText()) : '';
  }

  /** The agenda as numbered, each item under the organisation heading before it. */
  async agenda(): Promise<AgendaLine[]> {
    return this.page.locator('main').evaluate((main) => {
      const lines: { heading: string; number: number; title: string }[] = [];
      const start = main.querySelector('h2#agenda');
      let heading = '';
      for (let el = start?.nextElementSibling; el && el.tagName !== 'H2'; el = el.nextElementSibling) {
        if (el.tagName === 'H3') heading = el.textContent.replace(/\s+/g, ' ').trim();
        if (el.tagName !== 'OL') continue;
        for (const li of el.querySelectorAll(':scope > li')) {
          const first = [...li.childNodes].find((n) => n.nodeType === 3 && (n.textContent ?? '').trim() !== '');
          lines.push({
            heading,
            number: lines.length + 1,
            // The text before the item's link to its action: "Rating proposed: Green (".
            title: (first?.textContent ?? '')
              .replace(/\s+/g, ' ')
              .replace(/\s*\($/, '')
              .trim(),
          });
        }
      }
      return lines;
    });
  }

  /** The titles of the agenda's items, in order. */
  async agendaTitles(): Promise<string[]> {
    return (await this.agenda()).map((l) => l.title);
  }

  /** Presses "Move up", "Move down" or "Remove" beside item `number`, as its button is named, and waits. */
  async changeItem(number: number, button: 'Move up' | 'Move down' | 'Remove'): Promise<void> {
    const named = exactly(`${button}: item ${number}`);
    await sendAndWait(this.page, this.page.locator('main li[id^="item-"] button', { hasText: named }));
  }

  async addItem(title: string): Promise<void> {
    await this.page.getByLabel('Add an item').fill(title);
    await sendAndWait(this.page, this.page.getByRole('button', { name: 'Add the item', exact: true }));
  }

  /** The items listed as removed. */
  async removed(): Promise<string[]> {
    return (await this.page.locator('main details li').allTextContents()).map(squash);
  }

  async sendAgenda(): Promise<void> {
    await sendAndWait(this.page, this.page.getByRole('button', { name: 'Send the agenda', exact: true }));
  }

  /** Downloads "agenda" or "minutes" as "Word" or "PDF" from the links on the page. */
  async downloadDocument(which: 'agenda' | 'minutes', format: 'Word' | 'PDF'): Promise<DownloadedFile> {
    const file = `${which}.${format === 'Word' ? 'docx' : 'pdf'}`;
    return this.download(this.page.locator(`main a[href$="/${file}"]`, { hasText: format }));
  }

  /** Marks one person's attendance: "Present", "Sent apologies" or "Absent". */
  async markAttendance(person: string, mark: 'Present' | 'Sent apologies' | 'Absent'): Promise<void> {
    const group = this.page.locator('main form[action$="/attendance"] fieldset').filter({
      has: this.page.locator('legend', { hasText: person }),
    });
    assert.equal(await group.count(), 1, `one attendance choice for ${person}`);
    await group.getByRole('radio', { name: mark, exact: true }).check();
  }

  async saveAttendance(): Promise<void> {
    await sendAndWait(this.page, this.page.getByRole('button', { name: 'Save attendance', exact: true }));
  }

  /** Attendance as listed when it cannot be changed: "Name (organisation): Present". */
  async attendanceList(): Promise<string[]> {
    return this.page.locator('main h2#attendance ~ ul.nhsuk-list').first().locator('li').allInnerTexts();
  }

  /** "Quorate: 3 members present, 3 needed". */
  async quorum(): Promise<string> {
    return squash(await this.page.locator('main h2#attendance + p').innerText());
  }

  /** The decision fieldset of agenda item `number`, found by its legend ("3. Rating proposed: Green"). */
  private decisionFor(number: number): Locator {
    return this.page.locator('main form[action$="/decisions"] fieldset[id$="-fieldset"]').filter({
      has: this.page.locator(':scope > legend', { hasText: new RegExp(`^\\s*${number}\\. `) }),
    });
  }

  /** How many forms that send something (POST) the page has. */
  async postForms(): Promise<number> {
    return this.page.locator('main form[method="post"]').count();
  }

  async hasDecisionForm(): Promise<boolean> {
    return (await this.page.locator('main form[action$="/decisions"]').count()) > 0;
  }

  /** The items the decision form offers, by their legends ("3. Rating proposed: Green"). */
  async decisionItems(): Promise<string[]> {
    return (
      await this.page.locator('main form[action$="/decisions"] fieldset[id$="-fieldset"] > legend').allTextContents()
    ).map(squash);
  }

  /** Enters the chair's decision on one item, as a person fills in its part of the form. */
  async decide(number: number, d: Decision): Promise<void> {
    const item = this.decisionFor(number);
    assert.equal(await item.count(), 1, `one decision for item ${number} on ${this.url()}`);
    if (d.decision) await item.getByRole('radio', { name: d.decision, exact: true }).check();
    if (d.rating) await item.getByLabel('Rating agreed').selectOption({ label: d.rating });
    if (d.rationale !== undefined) await item.getByLabel('Why the group agreed or challenged it').fill(d.rationale);
    if (d.overrideReason !== undefined) {
      await item.getByLabel('Reason to agree Green or Blue without recent accepted evidence').fill(d.overrideReason);
    }
    if (d.reason !== undefined) await item.getByLabel('Reason (needed to reject or refuse)').fill(d.reason);
    if (d.request !== undefined) await item.getByLabel('Evidence requested from the lead').fill(d.request);
    if (d.requestDue) {
      const { day, month, year } = dateBoxes(d.requestDue);
      await item.locator('input[name$="-requestDue-day"]').fill(day);
      await item.locator('input[name$="-requestDue-month"]').fill(month);
      await item.locator('input[name$="-requestDue-year"]').fill(year);
    }
    if (d.note !== undefined) await item.getByLabel('Note (for a deferred or noted item)').fill(d.note);
  }

  /** What the form holds for one item now: the decision chosen and the words typed. */
  async entered(number: number): Promise<Required<Omit<Decision, 'requestDue'>>> {
    const item = this.decisionFor(number);
    assert.equal(await item.count(), 1, `one decision for item ${number} on ${this.url()}`);
    const checked = item.locator('input[type="radio"]:checked');
    const id = (await checked.count()) ? await checked.getAttribute('id') : null;
    const value = async (label: string) => {
      const field = item.getByLabel(label);
      return (await field.count()) ? field.inputValue() : '';
    };
    const rating = item.getByLabel('Rating agreed');
    return {
      decision: id ? squash(await item.locator(`label[for="${id}"]`).textContent()) : '',
      rating: (await rating.count()) ? squash(await rating.locator('option:checked').textContent()) : '',
      rationale: await value('Why the group agreed or challenged it'),
      overrideReason: await value('Reason to agree Green or Blue'),
      reason: await value('Reason (needed to reject or refuse)'),
      request: await value('Evidence requested from the lead'),
      note: await value('Note (for a deferred or noted item)'),
    };
  }

  /** The error messages shown beside one item's fields. */
  async errorsFor(number: number): Promise<string[]> {
    return (await this.decisionFor(number).locator('.nhsuk-error-message').allInnerTexts()).map((t) =>
      squash(t).replace(/^Error:\s*/, ''),
    );
  }

  async saveDecisions(): Promise<void> {
    await sendAndWait(this.page, this.page.getByRole('button', { name: 'Save the decisions', exact: true }));
  }

  /** The minutes section as read, from its heading to the end of the page's content. */
  async minutes(): Promise<string> {
    return this.page.locator('main').evaluate((main) => {
      const parts: string[] = [];
      for (let el = main.querySelector('h2#minutes')?.nextElementSibling; el; el = el.nextElementSibling) {
        parts.push((el as HTMLElement).innerText);
      }
      return parts.join('\n');
    });
  }

  /** The notice that the meeting's record is frozen, or ''. */
  async frozenNotice(): Promise<string> {
    const inset = this.page.locator('main .nhsuk-inset-text', { hasText: /record is frozen/ });
    return (await inset.count()) ? squash(await inset.innerText()) : '';
  }
}
