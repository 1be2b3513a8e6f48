import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { authFile } from './helpers.ts';

const CONTRACT_TITLE = /^Resultatkontrakt \d{4} mellem KKR Syddanmark og Erhvervshus Sydjylland \(efter 2020-kontrakten\)$/;
const DIRECTOR_COMMENT = 'Erhvervshuset er godt på vej: tilfredsheden er høj, og vejledningen af virksomheder følger planen.';
const GOAL_COMMENT = 'Vi har flere forløb i gang med virksomheder i vækst, og Early Warning er kommet godt i gang.';

/** Today in Danish (dd.mm.åååå) in the browser's time zone. */
function danishToday(): string {
  return new Intl.DateTimeFormat('da-DK', { timeZone: 'Europe/Copenhagen', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date());
}

/** The figure of every goal card, by goal number. */
async function figures(page: Page): Promise<Record<string, string>> {
  const cards = page.locator('.kp-goal-card');
  await expect(cards).toHaveCount(12);
  const out: Record<string, string> = {};
  for (const card of await cards.all()) {
    out[(await card.getAttribute('data-goal'))!] = (await card.locator('.kp-goal-figure').textContent())!.trim();
  }
  return out;
}

async function openContract(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Resultatkontrakter' }).click();
  await expect(page).toHaveURL(/\/kontrakter$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Resultatkontrakter' })).toBeVisible();
  await expect(page.getByRole('link', { name: CONTRACT_TITLE })).toBeVisible();
}

/** What a figure withheld from KKR and national readers says instead (server-side disclosure control). */
const WITHHELD = /^(Færre end 5|Skjult)$/;

async function expectDashboard(page: Page, aggregateOnly = false): Promise<Record<string, string>> {
  await expect(page).toHaveURL(/\/kontrakter\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: CONTRACT_TITLE })).toBeVisible();
  for (const group of ['Nationalt fastsatte mål', 'Fælles indsatsmål', 'Regional strategi']) {
    await expect(page.getByRole('heading', { name: group, exact: true })).toBeVisible();
  }
  const values = await figures(page);
  expect(Object.keys(values).sort((a, b) => Number(a) - Number(b))).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
  for (const [goal, value] of Object.entries(values)) {
    if (aggregateOnly && WITHHELD.test(value)) continue;
    expect(value, `goal ${goal}`).toMatch(/^\d[\d.]*(,\d+)?$/);
  }
  // Goal 5 is computed from live data: guided companies against the split target of 840.
  const goal5 = page.locator('.kp-goal-card[data-goal="5"]');
  await expect(goal5).toContainText('Mål: 840 virksomheder');
  await expect(goal5).toContainText(/\d+(,\d+)? % opfyldt/);
  await expect(goal5).toContainText('Vækst og drift');
  // Goal 6 counts the ErhvervsfremmeAkademier held (demo events), with the agreements as a deliverable.
  const goal6 = page.locator('.kp-goal-card[data-goal="6"]');
  await expect(goal6).toContainText('Mål: 2 arrangementer');
  await expect(goal6).toContainText(/ErhvervsfremmeAkademier: \d+/);
  // The demo holds three academies in the year so far (KKR reads as of the last ended month, which may hold fewer).
  if (!aggregateOnly) expect(Number(values['6'])).toBeGreaterThanOrEqual(2);
  return values;
}

// The report is published in the first test and read by KKR in the second.
test.describe.configure({ mode: 'serial' });

let published: { url: string; figures: Record<string, string>; heading: string } | null = null;

test.describe('as the hub manager', () => {
  test.use({ storageState: authFile('manager') });

  test('opens the dashboard, writes a status report and publishes it', async ({ page }) => {
    await openContract(page);
    await expect(page.getByRole('heading', { name: 'Importér skabelon' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'contracts list (manager)');

    await page.getByRole('link', { name: CONTRACT_TITLE }).click();
    await expectDashboard(page);
    // Manual goals carry the editor for the parties' managers.
    await expect(page.locator('.kp-goal-card[data-goal="8"]').getByText('Redigér leverancer og opfyldelse')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'contract dashboard (manager)');

    await page.getByRole('tab', { name: 'Statusrapporter' }).click();
    await expect(page.getByRole('heading', { name: 'Ny statusrapport' })).toBeVisible();
    const today = danishToday();
    await expect(page.getByLabel('Opgjort pr.')).toHaveValue(today);
    await page.getByRole('button', { name: 'Opret statusrapport' }).click();

    await expect(page).toHaveURL(/\/statusrapporter\/[0-9a-f-]{36}$/);
    const heading = `Statusrapport pr. ${today}`;
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expect(page.getByText(/^Kladde, version \d+\./)).toBeVisible();
    const draftFigures = await figures(page);
    await expectNoSeriousA11yViolations(page, 'status report (draft)');

    await page.getByLabel('Direktørens kommentar').fill(DIRECTOR_COMMENT);
    await page.getByLabel('Kommentar til mål 5').fill(GOAL_COMMENT);
    await page.getByRole('button', { name: 'Gem kommentarer' }).click();
    await expect(page.getByText('Kommentarerne er gemt.')).toBeVisible();

    await page.getByRole('button', { name: 'Offentliggør', exact: true }).click();
    await expect(page.getByText('Offentliggør statusrapporten?')).toBeVisible();
    await page.getByRole('button', { name: 'Ja, offentliggør' }).click();

    await expect(page.getByText(new RegExp(`^Offentliggjort ${today.replace(/\./g, '\\.')}, version \\d+$`))).toBeVisible();
    // Published reports are read-only.
    await expect(page.getByRole('textbox')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Gem kommentarer' })).toHaveCount(0);
    await expect(page.locator('.kp-director-comment')).toHaveText(DIRECTOR_COMMENT);
    await expect(page.locator('.kp-goal-card[data-goal="5"]')).toContainText(GOAL_COMMENT);
    expect(await figures(page)).toEqual(draftFigures);
    await expectNoSeriousA11yViolations(page, 'status report (published)');

    published = { url: new URL(page.url()).pathname, figures: draftFigures, heading };
  });
});

test.describe('as the KKR reader', () => {
  test.use({ storageState: authFile('reader') });

  test('sees the contract and the published report, read-only', async ({ page }) => {
    expect(published, 'the manager test publishes the report first').not.toBeNull();
    await openContract(page);
    await expect(page.getByRole('heading', { name: 'Importér skabelon' })).toHaveCount(0);
    await expectNoSeriousA11yViolations(page, 'contracts list (KKR reader)');

    await page.getByRole('link', { name: CONTRACT_TITLE }).click();
    await expectDashboard(page, true);
    await expect(page.getByText('Redigér leverancer og opfyldelse')).toHaveCount(0);
    await expect(page.getByRole('textbox', { name: 'Opfyldelse i procent' })).toHaveCount(0);
    await expectNoSeriousA11yViolations(page, 'contract dashboard (KKR reader)');

    await page.getByRole('tab', { name: 'Hensigtserklæringer' }).click();
    await expect(page.getByRole('rowheader', { name: 'Billund' })).toBeVisible();
    await expect(page.getByRole('button', { name: /^Redigér/ })).toHaveCount(0);

    await page.getByRole('tab', { name: 'Statusrapporter' }).click();
    await expect(page.getByRole('heading', { name: 'Ny statusrapport' })).toHaveCount(0);
    const link = page.getByRole('link', { name: `${published!.heading} (version 1)` }).or(page.locator(`a[href="${published!.url}"]`));
    await link.first().click();

    await expect(page).toHaveURL(new RegExp(`${published!.url}$`));
    await expect(page.getByRole('heading', { level: 1, name: published!.heading })).toBeVisible();
    await expect(page.getByText(/^Offentliggjort \d{2}\.\d{2}\.\d{4}, version \d+$/)).toBeVisible();
    await expect(page.locator('.kp-director-comment')).toHaveText(DIRECTOR_COMMENT);
    await expect(page.locator('.kp-goal-card[data-goal="5"]')).toContainText(GOAL_COMMENT);
    // The published figures, except any withheld from KKR (fewer than 5 companies).
    const seen = await figures(page);
    for (const [goal, value] of Object.entries(published!.figures)) if (!WITHHELD.test(seen[goal]!)) expect(seen[goal], `goal ${goal}`).toBe(value);
    // No edit controls for KKR.
    await expect(page.getByRole('textbox')).toHaveCount(0);
    await expect(page.getByRole('button', { name: /Gem|Offentliggør|Opdatér/ })).toHaveCount(0);
    await expectNoSeriousA11yViolations(page, 'status report (KKR reader)');
  });
});
