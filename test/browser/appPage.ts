import { rmSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium';
import { screenshotPath } from './screenshots';

/** Waiting limit for one thing to show on a page; the first page load also fetches the bundle. */
const TEXT_TIMEOUT_MS = 30_000;

/** Headless Chromium (the system's, see chromium.ts) driven by playwright-core. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** One request the page made to the backend, as the browser sent it. */
export interface SentRequest {
  readonly url: URL;
  readonly method: string;
  /** Whether it carried `Authorization: Bearer ...`; the token itself is never kept. */
  readonly bearer: boolean;
  status?: number;
}

/**
 * A tab on the example web app: navigation relative to the backend's origin,
 * waiting for what a person reads, screenshots, and a record of the requests
 * and uncaught errors for the assertions and the failure messages.
 */
export class AppPage {
  readonly requests: SentRequest[] = [];
  readonly pageErrors: string[] = [];

  private constructor(
    readonly baseUrl: string,
    private readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('pageerror', error => this.pageErrors.push(error.message));
    page.on('request', request => {
      const sent: SentRequest = { url: new URL(request.url()), method: request.method(), bearer: /^Bearer \S/.test(request.headers().authorization ?? '') };
      this.requests.push(sent);
      void request.response().then(response => (sent.status = response?.status()), () => undefined);
    });
  }

  static async open(browser: Browser, baseUrl: string): Promise<AppPage> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    return new AppPage(baseUrl, context, await context.newPage());
  }

  /** Opens a path of the app, e.g. `/catalog`, from the backend's origin. */
  async goto(pathAndQuery: string): Promise<void> {
    await this.page.goto(new URL(pathAndQuery, this.baseUrl).toString(), { waitUntil: 'domcontentloaded' });
  }

  /** The current path, e.g. `/catalog/default/component/checkout`. */
  path(): string {
    return new URL(this.page.url()).pathname;
  }

  /** Resolves once `text` is visible somewhere on the page; rejects with what the page showed instead. */
  async waitForText(text: string | RegExp, timeoutMs: number = TEXT_TIMEOUT_MS): Promise<void> {
    try {
      await this.page.getByText(text).first().waitFor({ state: 'visible', timeout: timeoutMs });
    } catch (error) {
      const shown = await this.page.locator('body').innerText().catch(() => '(page unreadable)');
      throw new Error(`${String(text)} did not show within ${timeoutMs} ms at ${this.page.url()}\n--- page text ---\n${shown.slice(0, 2000)}\n--- uncaught errors ---\n${this.pageErrors.join('\n') || 'none'}`, { cause: error });
    }
  }

  /** Resolves once a table cell reads exactly `text` (a filter's option of the same name does not count). */
  async waitForCell(text: string, timeoutMs: number = TEXT_TIMEOUT_MS): Promise<void> {
    try {
      await this.page.getByRole('cell', { name: text, exact: true }).first().waitFor({ state: 'visible', timeout: timeoutMs });
    } catch (error) {
      const shown = await this.page.locator('table').allInnerTexts().catch(() => ['(tables unreadable)']);
      throw new Error(`no table cell read ${text} within ${timeoutMs} ms at ${this.page.url()}\n--- tables ---\n${shown.join('\n').slice(0, 2000)}`, { cause: error });
    }
  }

  /** Clicks the link named `name` and waits for the app to route to `path`. */
  async followLink(name: string | RegExp, path: string | RegExp): Promise<void> {
    await this.page.getByRole('link', { name }).first().click();
    await this.page.waitForURL(url => (typeof path === 'string' ? url.pathname === path : path.test(url.pathname)), { timeout: TEXT_TIMEOUT_MS });
  }

  /** A full-page screenshot at `test-results/screenshots/<name>.png`; returns its path. */
  async screenshot(name: string): Promise<string> {
    const file = screenshotPath(name);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }

  /**
   * Runs one check and leaves a screenshot named after it, also when it fails
   * (`<name>-failed.png`), so a person can see what the browser saw.
   */
  async step<T>(name: string, check: () => Promise<T>): Promise<T> {
    try {
      const result = await check();
      await this.screenshot(name);
      // A failure shot from an earlier run would tell a person this step still fails.
      rmSync(screenshotPath(`${name}-failed`), { force: true });
      return result;
    } catch (error) {
      await this.screenshot(`${name}-failed`).catch(() => undefined);
      throw error;
    }
  }

  /** `fetch(path)` run by the page itself: same origin, the browser's own cookies and headers. */
  fetchFromPage(path: string): Promise<{ status: number; contentType: string; body: string }> {
    return this.page.evaluate(async target => {
      const response = await fetch(target);
      return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
    }, path);
  }

  close(): Promise<void> {
    return this.context.close();
  }
}
