import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { authFile, csrf, noHorizontalScrollAt360 } from './helpers.ts';

const DATA_STORY = 'Første akademiker gav data styr på produktionen';

test.describe('public case library (Gode historier)', () => {
  test('signed out: searchable by every category, a shareable case page, linked from its offer', async ({ browser }) => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto('/historier');
    await expect(page.getByRole('heading', { level: 1, name: 'Gode historier' })).toBeVisible();
    await expect(page.getByRole('banner').getByRole('link', { name: 'Gode historier' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Log ud' })).toHaveCount(0);
    const cards = page.locator('.kp-case-card');
    await expect(cards.first()).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'case library');
    await noHorizontalScrollAt360(page);

    // Every category of seed 001 (industry, geography, job content, size, benefit), each kept in the URL.
    for (const [label, value, param] of [
      ['Branche', 'manufacturing', 'industry'],
      ['Region', 'nordjylland', 'region'],
      ['Kommune', '851', 'municipality'],
      ['Jobindhold', 'data_analysis', 'jobContent'],
      ['Virksomhedsstørrelse', 'small', 'companySize'],
      ['Udbytte', 'first_graduate', 'benefit'],
    ] as const) {
      await page.goto('/historier');
      await page.getByLabel(label, { exact: true }).selectOption(value);
      await page.getByRole('button', { name: 'Søg', exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`[?&]${param}=${value}`));
      await expect(cards.filter({ hasText: DATA_STORY })).toHaveCount(1);
    }
    // A filter that leaves the story out.
    await page.goto('/historier?industry=construction');
    await expect(page.locator('.kp-cases-count')).toContainText('historie');
    await expect(cards.filter({ hasText: DATA_STORY })).toHaveCount(0);

    // Free text with Danish stemming.
    await page.goto('/historier');
    await page.getByLabel('Søg i historierne').fill('eksportere');
    await page.getByRole('button', { name: 'Søg', exact: true }).click();
    await expect(cards.filter({ hasText: 'Eksport til Tyskland' })).toHaveCount(1);
    await expectNoSeriousA11yViolations(page, 'case library (search)');

    // A case page, shareable.
    await page.goto('/historier?jobContent=data_analysis');
    await cards.filter({ hasText: DATA_STORY }).getByRole('link').click();
    await expect(page).toHaveURL(/\/historier\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { level: 1, name: DATA_STORY })).toBeVisible();
    await expect(page.locator('.kp-dl')).toContainText('Dataanalyse');
    await expect(page.getByRole('link', { name: /Se videoen/ })).toHaveAttribute('href', /^https:\/\//);
    await expectNoSeriousA11yViolations(page, 'case page');
    await noHorizontalScrollAt360(page);
    const url = page.url();
    const other = await ctx.newPage();
    await other.goto(url);
    await expect(other.getByRole('heading', { level: 1, name: DATA_STORY })).toBeVisible();

    // From the case to the offer it mentions, whose page lists the case.
    await page.getByRole('link', { name: 'Automatisering og robotter' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Automatisering og robotter' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Gode historier om tilbuddet' })).toBeVisible();
    await expect(page.locator('.kp-offer-cases')).toContainText(DATA_STORY);
    await expectNoSeriousA11yViolations(page, 'offer page with cases');

    // In English; and an unknown case is a friendly page.
    await page.goto('/historier');
    await page.getByRole('banner').getByRole('button', { name: /English/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Case stories' })).toBeVisible();
    await page.getByRole('banner').getByRole('button', { name: /Dansk/ }).click();
    await page.goto('/historier/00000000-0000-4000-8000-000000000000');
    await expect(page.getByRole('heading', { level: 1, name: 'Historien findes ikke' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'case page (unknown)');
    await ctx.close();
  });
});

test.describe('our case stories (back office)', () => {
  test.use({ storageState: authFile('adviser') });

  test('the list, the editor and the send page', async ({ page }) => {
    await page.goto('/gode-historier');
    await expect(page.getByRole('heading', { level: 1, name: 'Vores historier' })).toBeVisible();
    const row = page.getByRole('link', { name: /Rådgivningsvirksomhed i Sønderborg/ });
    await expect(row).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'our case stories');
    await row.click();
    await expect(page.getByRole('heading', { level: 1, name: /Rådgivningsvirksomhed i Sønderborg/ })).toBeVisible();
    await expect(page.getByLabel('Titel')).toHaveValue(/Rådgivningsvirksomhed/);
    await expect(page.getByText('Samtykket gælder.')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'case editor');

    await page.goto('/gode-historier/ny');
    await expect(page.getByRole('heading', { level: 1, name: 'Ny historie' })).toBeVisible();
    await page.getByRole('button', { name: 'Opret kladde' }).click();
    await expect(page.locator('.kp-error-summary')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'new case with errors');

    await page.goto('/gode-historier/send');
    await expect(page.getByRole('heading', { level: 1, name: 'Send historier til en virksomhed' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'send cases');
  });
});

test.describe('a case from draft to the library and back out', () => {
  test.use({ storageState: authFile('adviser') });

  test('an adviser writes a case, records the company\'s publication consent, publishes; withdrawing the consent unpublishes it', async ({ page }) => {
    const title = `Historie ${Date.now()}`;
    const giver = `Ejer ${Date.now()}`;
    await page.goto('/gode-historier/ny');
    await page.getByLabel('Titel', { exact: true }).fill(title);
    await page.getByLabel('Virksomhedens CVR-nummer').fill('42611433');
    await page.getByLabel('Historien', { exact: true }).fill('En virksomhed fik sin første akademiker gennem et studieprojekt.');
    await page.getByLabel('Bygge og anlæg').check();
    await page.getByLabel('Projektledelse').check();
    await page.getByLabel('Nye kompetencer').check();
    await page.getByRole('button', { name: 'Opret kladde' }).click();
    await expect(page).toHaveURL(/\/gode-historier\/[0-9a-f-]{36}$/);
    await expect(page.getByText('Historien er gemt.')).toBeVisible();
    const caseUrl = page.url();

    // No consent yet: publishing is refused with the reason.
    await page.getByRole('button', { name: 'Offentliggør' }).click();
    await expect(page.locator('.alert-error')).toContainText('samtykke');

    // The consent to publication, recorded on the company's page.
    await page.goto('/virksomheder/42611433?fane=samtykker');
    await page.getByLabel('Offentliggørelse af en god historie (case)').check();
    if ((await page.getByLabel('Kontaktperson, der gav samtykket').count()) > 0) {
      await page.getByLabel('Kontaktperson, der gav samtykket').selectOption({ label: 'Anden person (skriv navnet)' });
    }
    await page.getByLabel('Navn på den, der gav samtykket').fill(giver);
    await page.getByLabel('Kanal').selectOption({ label: 'Telefon' });
    await page.getByRole('button', { name: 'Registrér samtykke' }).click();
    await expect(page.locator('table.kp-consents-active tbody tr', { hasText: giver })).toBeVisible();
    // The company page leads to sending it case stories.
    await expect(page.getByRole('link', { name: 'Send historier' })).toHaveAttribute('href', '/gode-historier/send?cvr=42611433');

    await page.goto(caseUrl);
    const option = page.locator('#case-consent option', { hasText: giver });
    await expect(option).toHaveCount(1);
    await page.getByLabel('Samtykke til offentliggørelse').selectOption((await option.getAttribute('value'))!);
    await page.getByRole('button', { name: 'Gem' }).click();
    await expect(page.getByText('Samtykket gælder.')).toBeVisible();
    await page.getByRole('button', { name: 'Offentliggør' }).click();
    await expect(page.getByText('Historien er offentliggjort.')).toBeVisible();
    await page.getByRole('link', { name: 'Se historien i biblioteket' }).click();
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    const publicUrl = page.url();
    await page.goto('/historier?industry=construction&jobContent=project_management&benefit=new_competences');
    await expect(page.locator('.kp-case-card', { hasText: title })).toHaveCount(1);

    // The company withdraws its consent: the case leaves the library at once.
    const consents = (await (await page.request.get('/api/v1/companies/42611433/consents')).json()) as { items: { id: string; givenByName: string }[] };
    const consent = consents.items.find((c) => c.givenByName === giver)!;
    expect((await page.request.post(`/api/v1/consents/${consent.id}/withdraw`, { headers: await csrf(page.request), data: {} })).ok()).toBeTruthy();
    await page.goto(publicUrl);
    await expect(page.getByRole('heading', { level: 1, name: 'Historien findes ikke' })).toBeVisible();
    await page.goto('/gode-historier');
    await expect(page.getByRole('row', { name: new RegExp(title) })).toContainText('Nej – mangler samtykke');
  });
});
