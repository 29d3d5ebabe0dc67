import { expect, type Locator, type Page } from '@playwright/test';
import { consoleUrl, type ConsoleTarget } from '../../../../helpers/console/signin';

/** What one widget shows once loaded. */
export interface WidgetSeen {
  title: string;
  state: 'data' | 'empty' | 'error';
  /** The error text, for a widget that failed to load. */
  error?: string;
  /** Rows of the widget's table (its data, or a chart's text alternative). */
  rows: number;
  /** Charts drawn (images with a text alternative). */
  charts: number;
}

export const TIME_RANGES = ['1h', '3h', '12h', '1d', '1w'] as const;

/**
 * A CloudWatch dashboard: its heading, the time-range picker and its widgets, each a region named
 * by its title. Locators go by role and accessible name only.
 */
export class DashboardPage {
  constructor(
    readonly page: Page,
    private readonly target: ConsoleTarget,
  ) {}

  url(name: string): string {
    return consoleUrl(
      this.target,
      `/cloudwatch/home?region=${this.target.region}#dashboards/dashboard/${encodeURIComponent(name)}`,
    );
  }

  heading(name: string): Locator {
    return this.page.getByRole('heading', { level: 1, name, exact: true });
  }

  /** Every widget on the dashboard. */
  get widgets(): Locator {
    return this.page.getByRole('main').getByRole('region');
  }

  widget(title: string): Locator {
    return this.page.getByRole('region', { name: title, exact: true });
  }

  async open(name: string): Promise<void> {
    await this.page.goto(this.url(name));
    await expect(this.heading(name)).toBeVisible({ timeout: 30_000 });
  }

  /** Waits until no widget is still loading. */
  async settle(timeout = 60_000): Promise<void> {
    await expect(this.widgets.getByText('Loading…')).toHaveCount(0, { timeout });
  }

  async pickRange(label: (typeof TIME_RANGES)[number]): Promise<void> {
    const radio = this.page.getByRole('radio', { name: label, exact: true });
    await radio
      .or(this.page.getByRole('button', { name: label, exact: true }))
      .first()
      .click();
    await this.settle();
  }

  async widgetTitles(): Promise<string[]> {
    return this.widgets.getByRole('heading').allInnerTexts();
  }

  async read(widget: Locator): Promise<WidgetSeen> {
    const title = (await widget.getByRole('heading').first().innerText()).trim();
    const alert = widget.getByRole('alert');
    if ((await alert.count()) > 0) {
      return { title, state: 'error', error: (await alert.first().innerText()).trim(), rows: 0, charts: 0 };
    }
    const charts = await widget.getByRole('img').count();
    // Body rows: every row but the header's.
    const rows = Math.max(
      0,
      (await widget.getByRole('row').count()) - (await widget.getByRole('table').count()),
    );
    const empty = (await widget.getByText(/No data available/).count()) > 0;
    return { title, state: empty || (rows === 0 && charts === 0) ? 'empty' : 'data', rows, charts };
  }

  async readAll(): Promise<WidgetSeen[]> {
    const seen: WidgetSeen[] = [];
    for (const widget of await this.widgets.all()) seen.push(await this.read(widget));
    return seen;
  }
}
