import { expect, type Locator, type Page } from '@playwright/test';
import { consoleUrl, type ConsoleTarget } from '../../../../helpers/console/signin';

export const DESTINATIONS = ['S3 only', 'CloudWatch Logs only', 'Both S3 and CloudWatch Logs'] as const;
export type Destination = (typeof DESTINATIONS)[number];

/** What the Model invocation logging section shows. */
export interface LoggingSettingsSeen {
  loggingOn: boolean;
  /** Ticked data types among Text, Image, Embedding, Video. */
  dataTypes: string[];
  destination?: Destination;
  logGroupName?: string;
}

/**
 * Amazon Bedrock, Settings, Model invocation logging. Locators go by role and accessible name
 * (the labels in docs/aws-behaviours.md, "Console"), never by CSS class: Cloudscape hashes its classes, and a toggle
 * is a native checkbox (some releases give it the switch role) named by its label.
 */
export class BedrockSettingsPage {
  readonly loggingToggle: Locator;
  readonly saveButton: Locator;
  readonly logGroupName: Locator;

  constructor(
    readonly page: Page,
    private readonly target: ConsoleTarget,
  ) {
    const name = { name: 'Model invocation logging', exact: true };
    this.loggingToggle = page.getByRole('checkbox', name).or(page.getByRole('switch', name));
    this.saveButton = page.getByRole('button', { name: 'Save settings' });
    this.logGroupName = page.getByRole('textbox', { name: 'Log group name' });
  }

  get url(): string {
    return consoleUrl(this.target, `/bedrock/home?region=${this.target.region}#/settings`);
  }

  /** Opens the page and waits until the section shows the saved configuration. */
  async open(): Promise<void> {
    await this.page.goto(this.url);
    await expect(this.loggingToggle).toBeVisible({ timeout: 30_000 });
  }

  dataType(name: string): Locator {
    return this.page.getByRole('checkbox', { name, exact: true });
  }

  destination(name: Destination): Locator {
    return this.page.getByRole('radio', { name, exact: true });
  }

  async read(): Promise<LoggingSettingsSeen> {
    const loggingOn = await this.loggingToggle.isChecked();
    if (!loggingOn) return { loggingOn, dataTypes: [] };
    const dataTypes: string[] = [];
    for (const type of ['Text', 'Image', 'Embedding', 'Video']) {
      const box = this.dataType(type);
      if ((await box.count()) === 1 && (await box.isChecked())) dataTypes.push(type);
    }
    let destination: Destination | undefined;
    for (const name of DESTINATIONS) {
      const radio = this.destination(name);
      // a destination the page does not offer would otherwise be waited for until the timeout
      if ((await radio.count()) === 1 && (await radio.isChecked())) destination = name;
    }
    const logGroupName = (await this.logGroupName.isVisible())
      ? await this.logGroupName.inputValue()
      : undefined;
    return { loggingOn, dataTypes, destination, logGroupName };
  }

  /** Step 1 as a learner does it: logging on, CloudWatch Logs, the group, an existing role, Text data. */
  async configure(options: {
    logGroupName: string;
    roleName: string;
    dataTypes?: string[];
    destination?: Destination;
  }): Promise<void> {
    await this.loggingToggle.check();
    for (const type of ['Text', 'Image', 'Embedding', 'Video']) {
      await this.dataType(type).setChecked((options.dataTypes ?? ['Text']).includes(type));
    }
    await this.destination(options.destination ?? 'CloudWatch Logs only').check();
    await this.logGroupName.fill(options.logGroupName);
    await this.page.getByRole('radio', { name: 'Use an existing service role' }).check();
    await this.page.getByLabel('Service role name').selectOption({ label: options.roleName });
  }

  /** Saves, and returns the flash the console shows: AWS's error text, or its success message. */
  async save(): Promise<{ ok: boolean; message: string }> {
    await this.saveButton.click();
    const error = this.page.getByRole('alert');
    const success = this.page.getByRole('status').filter({ hasText: /success/i });
    await expect(error.or(success)).toBeVisible();
    if (await error.isVisible()) return { ok: false, message: await error.innerText() };
    return { ok: true, message: await success.innerText() };
  }
}
