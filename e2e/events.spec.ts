import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { authFile, hasNoHorizontalScroll } from './helpers.ts';
import { waitForMail } from './mail.ts';

const PHONE = { width: 390, height: 844 };

/** dd.mm.yyyy of a day `days` from today. */
function danishDay(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${String(d.getDate()).padStart(2, '0')}.${String(d.getMonth() + 1).padStart(2, '0')}.${d.getFullYear()}`;
}

test.describe('events (arrangementer)', () => {
  test('on a phone: sign up from the public page, get the confirmation mail, cancel through its personal link', async ({ browser }) => {
    const kommune = await browser.newContext({ storageState: authFile('kommune') });
    const companies = await (await kommune.request.get('/api/v1/companies?municipality=540&pageSize=5')).json();
    await kommune.close();
    const company = companies.items[4] as { cvr: string; name: string };

    const ctx = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await ctx.newPage();
    await page.goto('/arrangementer/kalender');
    await expect(page.getByRole('heading', { level: 1, name: 'Arrangementer' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'public events');
    expect(await hasNoHorizontalScroll(page)).toBe(true);
    await page.getByRole('link', { name: /^Eksport til Tyskland/ }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: /^Eksport til Tyskland/ })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Tilmelding' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'event sign-up');
    expect(await hasNoHorizontalScroll(page)).toBe(true);

    // Empty: the errors are at the fields and in a focused summary.
    await page.getByRole('button', { name: 'Tilmeld', exact: true }).click();
    const summary = page.locator('.kp-error-summary');
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link', { name: 'Skriv dit navn.' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'event sign-up (errors)');

    const email = `deltager-${Date.now()}@example.dk`;
    await page.getByLabel('Virksomhedens CVR-nummer').fill(company.cvr);
    await page.getByLabel('Dit navn').fill('Mette Deltager');
    await page.getByLabel('Din e-mail').fill(email);
    await page.getByLabel('Dit telefonnummer (valgfrit)').fill('+45 20 30 40 50');
    await page.getByRole('button', { name: 'Tilmeld', exact: true }).click();
    const receipt = page.getByRole('heading', { level: 1, name: 'Du er tilmeldt' });
    await expect(receipt).toBeFocused();
    await expect(page.getByText(`Vi har sendt en bekræftelse til ${email}`)).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'event sign-up receipt');
    expect(await hasNoHorizontalScroll(page)).toBe(true);

    const mail = await waitForMail(email, { contains: 'afmelding' });
    expect(mail).toContain('Du er tilmeldt "Eksport til Tyskland');
    const link = /\/arrangementer\/afmelding\/[\w-]+/.exec(mail)![0];
    await page.goto(link);
    await expect(page.getByRole('heading', { level: 1, name: 'Afmeld tilmelding' })).toBeVisible();
    await expect(page.getByText('Tilmeldt', { exact: true })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'event cancellation');
    expect(await hasNoHorizontalScroll(page)).toBe(true);
    await page.getByRole('button', { name: 'Afmeld mig' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Du er afmeldt' })).toBeFocused();
    await expectNoSeriousA11yViolations(page, 'event cancelled');
    // The link is single-purpose: opened again, it says the sign-up is cancelled.
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Du er afmeldt' })).toBeVisible();
    // A forged link finds nothing.
    await page.goto('/arrangementer/afmelding/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    await expect(page.getByText('Vi kan ikke finde tilmeldingen.')).toBeVisible();
    await ctx.close();
  });

  test('the organiser registers attendance, makes follow-up tasks and sends the evaluation; creates an event', async ({ browser }) => {
    const ctx = await browser.newContext({ storageState: authFile('kommune') });
    const page = await ctx.newPage();
    await page.goto('/arrangementer');
    await expect(page.getByRole('heading', { level: 1, name: 'Arrangementer' })).toBeVisible();
    await expect(page.getByRole('navigation').getByRole('link', { name: 'Arrangementer' }).first()).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'events list');
    await page.getByLabel('Vis', { exact: true }).selectOption({ label: 'Tidligere arrangementer' });
    await page.getByRole('form', { name: 'Kommende eller tidligere arrangementer' }).getByRole('button', { name: 'Vis' }).click();
    await page.getByRole('link', { name: /^Kina-netværket: efterårsmøde/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: /^Kina-netværket: efterårsmøde/ })).toBeVisible();
    const table = page.getByRole('table', { name: 'Deltagere og fremmøde' });
    await expect(table).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'event page (organiser)');

    const boxes = table.getByRole('checkbox');
    await expect(boxes).toHaveCount(6);
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole('button', { name: 'Gem fremmøde' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Fremmødet er gemt.' })).toBeFocused();
    await expect(table.getByRole('cell', { name: 'Mødt', exact: true })).toHaveCount(2);
    await expect(table.getByRole('cell', { name: 'Udeblev', exact: true })).toHaveCount(4);

    await page.getByLabel('Arbejdsdage').fill('3');
    await page.getByRole('button', { name: 'Opret opfølgningsopgaver' }).click();
    await expect(page.getByRole('status').filter({ hasText: '2 opgaver oprettet med frist' })).toBeFocused();
    await page.getByRole('button', { name: 'Send evaluering til deltagerne' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Evalueringen er sendt til 2 deltagere.' })).toBeFocused();
    await expectNoSeriousA11yViolations(page, 'event page (after follow-up)');

    // The delegation visit's follow-up: who met whom.
    await page.goto('/arrangementer?hvornaar=tidligere&type=delegation_visit');
    await page.getByRole('link', { name: 'Kinesisk delegation fra Baoding besøger Sønderborg' }).click();
    await expect(page.getByRole('cell', { name: 'Hebei Green Energy Co., Ltd.' })).toBeVisible();

    await expectNoSeriousA11yViolations(page, 'delegation visit');

    // The China network with its members.
    await page.goto('/arrangementer/netvaerk');
    await expect(page.getByRole('heading', { level: 2, name: 'Kina-netværket' })).toBeVisible();
    await expect(page.getByText('10 medlemmer')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'networks');

    // A new event through the form.
    await page.goto('/arrangementer');
    await page.getByRole('link', { name: 'Opret arrangement' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Opret arrangement' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'event form');
    await page.getByLabel('Type').selectOption({ label: 'Netværksmøde' });
    await page.getByLabel('Titel').fill('Kina-netværket: ekstraordinært møde');
    await page.getByLabel('Startdato').fill(danishDay(40));
    await page.getByLabel('Starttidspunkt').fill('16:00');
    await page.getByLabel('Sluttidspunkt').fill('18:00');
    await page.getByLabel('Sted').fill('Sønderborg Rådhus');
    await page.getByLabel('Antal pladser').fill('25');
    await page.getByLabel('Netværk', { exact: true }).selectOption({ label: 'Kina-netværket' });
    await page.getByRole('button', { name: 'Opret arrangement' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Kina-netværket: ekstraordinært møde' })).toBeFocused();
    await expect(page.getByText('0 af 25')).toBeVisible();
    await ctx.close();
  });
});
