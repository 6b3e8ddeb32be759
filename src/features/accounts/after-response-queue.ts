/*
 * Work that must not hold up the answer: a password reset's lookup, link and email run after the
 * response has gone, so how long the answer takes cannot tell anyone whether the address has an
 * account (OWASP ASVS 2.5.2, 3.x timing), and a slow mail server cannot slow the page. Jobs run
 * one at a time, in order; a job that fails is logged and the next one still runs. The app waits
 * for the queue when it closes, so nothing queued is lost on a graceful shutdown.
 */

export type Job = () => Promise<void>;

export class AfterResponseQueue {
  private readonly waiting: Job[] = [];
  private running: Promise<void> | null = null;

  constructor(private readonly onError: (error: unknown) => void) {}

  /** Queues a job; it runs once start() is called (after the response). */
  add(job: Job): void {
    this.waiting.push(job);
  }

  /** Runs the queued jobs, unless they are running already. */
  start(): void {
    if (this.running || this.waiting.length === 0) return;
    this.running = this.runAll().finally(() => {
      this.running = null;
      // A job queued between the last one ending and this line.
      this.start();
    });
  }

  /** Resolves once every job queued so far has run (starting them if nothing has yet). */
  async idle(): Promise<void> {
    this.start();
    while (this.running) await this.running;
  }

  private async runAll(): Promise<void> {
    for (let job = this.waiting.shift(); job; job = this.waiting.shift()) {
      try {
        await job();
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
