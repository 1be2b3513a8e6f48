import { expect, test, type APIRequestContext } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { authFile, csrf, noHorizontalScrollAt360, sonderborgCompanyWithoutConsent } from './helpers.ts';

interface LeadItem {
  id: string;
  need: string;
  version: number;
}

async function firstOffer(request: APIRequestContext, q: string): Promise<{ id: string; title: string }> {
  const res = await request.get(`/api/v1/public/offers?q=${encodeURIComponent(q)}`);
  expect(res.ok()).toBeTruthy();
  const { items } = (await res.json()) as { items: { id: string; title: string }[] };
  expect(items.length).toBeGreaterThan(0);
  return items[0]!;
}

/** A "Få vejledning" request from a Sønderborg company without a CVR number, sent the way the public form sends it. */
async function requestGuidance(request: APIRequestContext, need: string, extra: Record<string, unknown> = {}): Promise<void> {
  const res = await request.post('/api/v1/public/guidance-requests', {
    headers: { 'Idempotency-Key': `e2e-${crypto.randomUUID()}` },
    data: {
      noCvr: true,
      companyName: `Idé til café ${need.slice(-13)}`,
      municipalityCode: 540,
      contact: { name: 'Karen Iværksætter', email: 'karen@example.dk', phone: '12 34 56 78' },
      need,
      themes: ['export', 'digitalisation'],
      consents: { sharing: true, evaluation: false },
      ...extra,
    },
  });
  expect(res.status(), await res.text()).toBe(201);
}

test.describe('leads inbox (Henvendelser)', () => {
  test.setTimeout(120_000);

  test('Sønderborg’s business service takes and closes a lead on its own page; the hub sees it too; KKR does not', async ({ browser, request }) => {
    const stamp = Date.now();
    const need = `Vi vil gerne eksportere kaffe til Tyskland (${stamp})`;
    const offer = await firstOffer(request, 'eksport');
    await requestGuidance(request, need, {
      offerId: offer.id,
      selfAssessment: { key: 'export', answers: { e1: 2, e2: 2, e3: 1, e4: 0, e5: 3 } },
    });

    // ── Sønderborg Kommune's business service (kommune@) ─────────────────────────────────────
    const kommuneCtx = await browser.newContext({ storageState: authFile('kommune') });
    const page = await kommuneCtx.newPage();
    await page.goto('/mit-arbejde');
    await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Henvendelser' }).click();
    await expect(page).toHaveURL(/\/henvendelser$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Henvendelser' })).toBeVisible();
    await expect(page.locator('.kp-count')).toHaveText(/^\d+ henvendelser?( på side 1)?$/);

    const row = page.locator('table.kp-leads-table tbody tr', { hasText: need });
    await expect(row).toBeVisible();
    await expect(row).toContainText('Ingen CVR endnu');
    await expect(row).toContainText('Ny');
    await expect(row).toContainText('Sønderborg');
    await expect(page.getByRole('columnheader', { name: /Modtaget/ })).toHaveAttribute('aria-sort', 'descending');
    await expectNoSeriousA11yViolations(page, 'leads inbox');
    await noHorizontalScrollAt360(page);

    // The row opens the request's own page.
    await row.getByRole('link', { name: new RegExp(`^Idé til café`) }).click();
    await expect(page).toHaveURL(/\/henvendelser\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Henvendelse fra Idé til café');
    const facts = page.locator('.kp-lead-facts');
    await expect(facts).toContainText('Ingen CVR endnu');
    await expect(facts).toContainText('Karen Iværksætter');
    await expect(facts.getByRole('link', { name: 'karen@example.dk' })).toHaveAttribute('href', 'mailto:karen@example.dk');
    await expect(facts.getByRole('link', { name: '12 34 56 78' })).toHaveAttribute('href', 'tel:12345678');
    await expect(facts).toContainText('Eksport, Digitalisering');
    await expect(facts).toContainText('Deling med andre aktører: Ja');
    await expect(facts).toContainText('Evaluering: Nej');
    await expect(facts).toContainText('Eksportparathed');
    await expect(facts.getByRole('link', { name: offer.title })).toHaveAttribute('href', `/tilbud/${offer.id}`);
    // Dates are Danish: dd.mm.åååå; the deadline is the one Deadline component's day.
    await expect(facts.locator('.kp-dl-row', { hasText: 'Modtaget' })).toContainText(/\d{2}\.\d{2}\.\d{4}/);
    await expect(facts.locator('.kp-dl-row', { hasText: 'Svarfrist' }).locator('time')).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}$/);
    // Without a CVR number there is no company to open an engagement on yet; it can become a prospect.
    await expect(page.getByRole('link', { name: 'Opret forløb' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Opret som iværksætter' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'lead page');
    await noHorizontalScrollAt360(page);

    await page.getByRole('button', { name: 'Tag den' }).click();
    const notice = page.locator('.kp-lead-notice');
    await expect(notice).toContainText('Du har taget henvendelsen.');
    await expect(notice).toBeFocused();
    await expect(page.locator('.kp-badges')).toContainText('Under behandling');
    await expect(page.getByRole('button', { name: 'Tag den' })).toHaveCount(0);
    const leadUrl = page.url();

    // The status filter applies at once and is kept in the URL.
    await page.goto('/henvendelser');
    await page.getByLabel('Status').selectOption({ label: 'Under behandling' });
    await expect(page).toHaveURL(/status=in_progress/);
    await expect(row).toBeVisible();
    await page.reload();
    await expect(page.getByLabel('Status')).toHaveValue('in_progress');
    await expect(row).toContainText('Under behandling');

    // Closing asks for the outcome, before anything is sent.
    await page.goto(leadUrl);
    await page.getByRole('button', { name: 'Afslut', exact: true }).click();
    const outcome = page.getByLabel('Udfald');
    await expect(outcome).toBeFocused();
    await page.getByRole('button', { name: 'Afslut henvendelsen' }).click();
    await expect(page.locator('.kp-error-summary')).toBeFocused();
    await outcome.fill('Henvist til eksportrådgiver i erhvervshuset.');
    await page.getByRole('button', { name: 'Afslut henvendelsen' }).click();
    await expect(notice).toContainText('Henvendelsen er afsluttet.');
    await expect(notice).toBeFocused();
    await expect(page.locator('.kp-badges')).toContainText('Afsluttet');
    await expect(facts).toContainText('Henvist til eksportrådgiver i erhvervshuset.');
    await expect(page.getByRole('button', { name: 'Genåbn' })).toBeVisible();
    await page.goto('/henvendelser?status=closed');
    await expect(page.getByLabel('Status')).toHaveValue('closed');
    await expect(row).toBeVisible();
    await page.goto('/henvendelser?status=new');
    await expect(page.locator('.kp-count')).toBeVisible();
    await expect(row).toHaveCount(0);
    await kommuneCtx.close();

    // ── Erhvervshus Sydjylland (adviser@), Sønderborg's hub ─────────────────────────────────
    const hubCtx = await browser.newContext({ storageState: authFile('adviser') });
    const hub = await hubCtx.newPage();
    await hub.goto('/henvendelser');
    const hubRow = hub.locator('table.kp-leads-table tbody tr', { hasText: need });
    await expect(hubRow).toContainText('Afsluttet');
    // An old link (?id=…) opens the request's own page.
    await hub.goto(`/henvendelser?id=${leadUrl.split('/').pop()}`);
    await expect(hub).toHaveURL(leadUrl);
    await expect(hub.locator('.kp-lead-facts')).toContainText('Erhvervsservice Sønderborg Kommune');
    await hubCtx.close();

    // ── KKR Syddanmark (reader@): aggregates only ──────────────────────────────────────────
    const kkrCtx = await browser.newContext({ storageState: authFile('reader') });
    const kkr = await kkrCtx.newPage();
    expect((await kkr.request.get('/api/v1/guidance-requests')).status()).toBe(403);
    await kkr.goto('/henvendelser');
    await expect(kkr.getByRole('heading', { level: 1, name: 'Henvendelser' })).toBeVisible();
    await expect(kkr.getByText('Du har ikke adgang til henvendelser')).toBeVisible();
    await expect(kkr.locator('table.kp-leads-table')).toHaveCount(0);
    await expect(kkr.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Henvendelser' })).toHaveCount(0);
    await expectNoSeriousA11yViolations(kkr, 'leads inbox: no access');
    await kkrCtx.close();
  });

  test.describe('as Sønderborg', () => {
    test.use({ storageState: authFile('kommune') });

    test('"Opret forløb" from a lead with a CVR number: the company is shown, not typed; saving links the lead and moves it on', async ({ page, request }) => {
      const res = await page.request.get('/api/v1/companies?municipality=540&pageSize=5');
      const { items } = (await res.json()) as { items: CompanyItem[] };
      const company = items[0]!;
      const need = `Sparring om digitalisering (${Date.now()})`;
      // No consents: the request must not change what other tests find about the company.
      await requestGuidance(request, need, { noCvr: false, cvr: company.cvr, companyName: undefined, municipalityCode: undefined, consents: { sharing: false, evaluation: false } });
      await page.goto('/henvendelser');
      const row = page.locator('table.kp-leads-table tbody tr', { hasText: need });
      await expect(row).toContainText(`CVR ${company.cvr}`);
      await row.getByRole('link', { name: company.name }).click();
      await expect(page.locator('.kp-lead-facts').getByRole('link', { name: company.name })).toHaveAttribute('href', `/virksomheder/${company.cvr}`);
      const leadUrl = page.url();
      await page.getByRole('link', { name: 'Opret forløb' }).click();
      await expect(page).toHaveURL(/\/forloeb\/nyt\?henvendelse=[0-9a-f-]{36}$/);
      await expect(page.locator('.kp-lead-source')).toContainText(`${company.name} (CVR ${company.cvr})`);
      await expect(page.getByLabel('CVR-nummer')).toHaveCount(0);
      await expect(page.getByLabel('Beskrivelse (valgfri)')).toHaveValue(need);
      await expect(page.getByLabel('Eksport', { exact: true })).toBeChecked();
      await expect(page.getByLabel('Digitalisering', { exact: true })).toBeChecked();
      await expectNoSeriousA11yViolations(page, 'engagement form from a lead');
      await page.getByRole('button', { name: 'Opret forløb' }).click();
      await expect(page).toHaveURL(/\/forloeb\/[0-9a-f-]{36}$/);
      await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
      await page.goto(leadUrl);
      await expect(page.locator('.kp-badges')).toContainText('Under behandling');
      await expect(page.locator('.kp-lead-facts').getByRole('link', { name: 'Se forløbet' })).toBeVisible();
      await expect(page.getByRole('link', { name: 'Opret forløb' })).toHaveCount(0);
    });

    test('a lead changed by someone else in between answers with a conflict', async ({ page, request }) => {
      const need = `Hjælp til finansiering (${Date.now()})`;
      await requestGuidance(request, need);
      const { items } = (await (await page.request.get('/api/v1/guidance-requests?status=new&pageSize=100')).json()) as { items: LeadItem[] };
      const lead = items.find((l) => l.need === need)!;
      await page.goto(`/henvendelser/${lead.id}`);
      await expect(page.getByRole('button', { name: 'Tag den' })).toBeVisible();

      // A colleague takes it first, through the API with this session's CSRF token.
      const res = await page.request.post(`/api/v1/guidance-requests/${lead.id}/status`, { headers: await csrf(page.request), data: { status: 'in_progress', version: lead.version } });
      expect(res.status()).toBe(200);

      await page.getByRole('button', { name: 'Tag den' }).click();
      // The message says why and takes the focus; the page shows the request as it is now.
      const notice = page.locator('.kp-lead-notice');
      await expect(notice).toContainText('er ændret af en anden');
      await expect(notice).toBeFocused();
      await expect(page.locator('.kp-badges')).toContainText('Under behandling');
      await expectNoSeriousA11yViolations(page, 'lead page: conflict notice');
    });
  });
});

interface CompanyItem {
  cvr: string;
  name: string;
}

test.describe('referral to an offer', () => {
  test.use({ storageState: authFile('adviser') });
  test.setTimeout(120_000);

  test('the hub refers an engagement to Eksportrådet’s offer; the consent covers the operator', async ({ page }) => {
    const stamp = Date.now();
    const reason = `Klar til markedsafklaring i Tyskland (${stamp})`;
    // Without any active consent, so that the referral must carry a sharing consent for the offer's operator.
    const company = await sonderborgCompanyWithoutConsent(page.request);
    const created = await page.request.post('/api/v1/engagements', {
      headers: await csrf(page.request),
      data: { companyCvr: company.cvr, level: 'basic', themes: [], description: `Eksportforløb (${stamp})` },
    });
    expect(created.status(), await created.text()).toBe(201);
    const { id } = (await created.json()) as { id: string };

    await page.goto(`/forloeb/${id}`);
    await expect(page.getByRole('heading', { level: 1, name: `Forløb: ${company.name}` })).toBeVisible();
    await page.locator('.kp-referral-create summary').click();
    const form = page.locator('.kp-referral-create form');
    await form.getByRole('group', { name: 'Henvis til' }).getByLabel('et tilbud').check();
    await expect(form.getByRole('combobox', { name: 'Modtager' })).toHaveCount(0);

    // Sending without choosing an offer is answered at the offer field, before anything is sent.
    await form.getByLabel('Hvad skal modtageren hjælpe virksomheden med?').fill(`${reason}. Et overblik over kunder og partnere på markedet.`);
    await form.getByRole('button', { name: 'Send henvisning' }).click();
    await expect(form.locator('.kp-error-summary')).toBeFocused();
    await expect(form.locator('.kp-offer-picker .form-error-message')).toBeVisible();
    await expect(form.getByLabel('Søg i offentliggjorte tilbud')).toHaveAttribute('aria-invalid', 'true');

    const search = form.getByLabel('Søg i offentliggjorte tilbud');
    await search.fill('eksport');
    await search.press('Enter');
    const offers = form.getByRole('group', { name: 'Vælg tilbud' });
    await expect(offers.getByRole('radio').first()).toBeVisible();
    await expect(form.locator('.kp-offer-picker .kp-count')).toHaveText(/tilbud/);
    // The hub's own offer cannot be chosen: a referral to oneself is no referral.
    await expect(offers.getByLabel(/^Eksportklar – første skridt til Tyskland — Erhvervshus Sydjylland/)).toBeDisabled();
    // An offer run by another organisation; its operator is the receiver.
    const choice = offers.getByRole('radio', { name: / — Eksportrådet$/ }).first();
    const offerTitle = ((await offers.locator('label', { hasText: / — Eksportrådet$/ }).first().textContent()) ?? '').replace(/ — Eksportrådet$/, '');
    expect(offerTitle).not.toBe('');
    await choice.check();
    await expect(form).toContainText('Henvisningen sendes til Eksportrådet, som udbyder tilbuddet.');

    const consent = form.getByRole('group', { name: 'Samtykke til deling' });
    await expect(consent).toContainText('Eksportrådet');
    await consent.getByLabel('Samtykke givet af').fill(`Direktør ${stamp}`);
    await consent.getByLabel('Kanal').selectOption({ label: 'Møde' });
    await expectNoSeriousA11yViolations(page, 'engagement page: referral to an offer');
    await noHorizontalScrollAt360(page);

    await form.getByRole('button', { name: 'Send henvisning' }).click();
    await expect(page.locator('.kp-referral-create .alert-success')).toBeVisible();
    const sent = page.locator('article.kp-referral', { hasText: reason });
    await expect(sent).toContainText('Eksportrådet');
    await expect(sent.getByRole('link', { name: offerTitle })).toHaveAttribute('href', /^\/tilbud\/[0-9a-f-]{36}$/);
    await expect(sent.locator('.kp-badges')).toContainText('Sendt');

    // The referral also lists in the hub's outbox with the offer.
    await page.goto('/henvisninger?boks=ud');
    await expect(page.locator('table.kp-referrals-outbox tbody tr', { hasText: reason })).toContainText(offerTitle);
  });

  test('a long inbox is paged; nothing beyond the first page is lost', async ({ browser, request }) => {
    const stamp = Date.now();
    // Aabenraa (580): its adviser's inbox holds only these and the demo's one lead.
    for (let i = 0; i < 52; i++) {
      await requestGuidance(request, `Paging ${stamp} nr. ${String(i).padStart(2, '0')}`, { municipalityCode: 580 });
    }
    const ctx = await browser.newContext({ storageState: authFile('aabenraa') });
    const page = await ctx.newPage();
    await page.goto('/henvendelser');
    await expect(page.locator('.kp-count')).toHaveText('50 henvendelser på side 1');
    const rows = page.locator('table.kp-leads-table tbody tr');
    await expect(rows).toHaveCount(50);
    await expect(rows.first()).toContainText(`Paging ${stamp} nr. 51`);
    const pages = page.getByRole('navigation', { name: 'Sider' });
    await pages.getByRole('link', { name: 'Næste' }).click();
    await expect(page).toHaveURL(/[?&]side=2/);
    await expect(rows.filter({ hasText: `Paging ${stamp} nr. 00` })).toBeVisible();
    await expect(rows.filter({ hasText: `Paging ${stamp} nr. 51` })).toHaveCount(0);
    await expectNoSeriousA11yViolations(page, 'leads inbox, page 2');
    // A new filter applies at once and starts from its first page.
    await page.getByLabel('Status').selectOption('new');
    await expect(page).toHaveURL(/status=new/);
    await expect(page).not.toHaveURL(/side=/);
    await ctx.close();
  });
});
