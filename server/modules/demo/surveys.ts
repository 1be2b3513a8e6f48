/**
 * Demo survey: Sønderborg Kommune's 2020 survey on interest in trade with Germany and China (the
 * action plan for internationalisation, seed 000): 598 answers, about 20 % of some 3,000 active
 * companies; 37 % interested in Germany "i høj grad eller nogen grad", 15 % in China; export first,
 * then import and net trade; Germany's interest mostly in banking/finance, retail and motor trade,
 * manufacturing and hospitality, China's in manufacturing and agriculture.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { localServiceKey } from '../organisations/reference.ts';
import { questionnaireSchema, type AnswerSet } from '../surveys/questionnaire.ts';
import { surveyResponses, surveys } from '../surveys/schema.ts';

const interest = [
  { id: 'high', label: 'I høj grad' },
  { id: 'some', label: 'I nogen grad' },
  { id: 'little', label: 'I mindre grad' },
  { id: 'none', label: 'Slet ikke' },
  { id: 'unknown', label: 'Ved ikke' },
];

export const tradeSurveyQuestions = questionnaireSchema.parse([
  { id: 'germany', type: 'single', required: true, text: 'I hvilken grad har virksomheden interesse for samhandel med Tyskland?', options: interest },
  { id: 'china', type: 'single', required: true, text: 'I hvilken grad har virksomheden interesse for samhandel med Kina?', options: interest },
  {
    id: 'areas',
    type: 'multiple',
    text: 'Hvilke former for samhandel er virksomheden interesseret i?',
    options: [
      { id: 'export', label: 'Eksport' },
      { id: 'import', label: 'Import' },
      { id: 'online', label: 'Nethandel' },
      { id: 'establish', label: 'Etablering i udlandet' },
      { id: 'partners', label: 'Samarbejdspartnere' },
    ],
  },
  {
    id: 'needs',
    type: 'matrix',
    text: 'Hvor stort behov har virksomheden for hjælp til …',
    rows: [
      { id: 'market', label: 'Markedsviden' },
      { id: 'network', label: 'Netværk og kontakter' },
      { id: 'rules', label: 'Regler, told og moms' },
      { id: 'culture', label: 'Sprog og kultur' },
    ],
    columns: [
      { id: 'large', label: 'Stort behov' },
      { id: 'some', label: 'Noget behov' },
      { id: 'none', label: 'Intet behov' },
    ],
  },
  { id: 'comment', type: 'text', text: 'Har du kommentarer eller ønsker til kommunens indsats?', maxLength: 2000 },
]);

/** Respondents per main industry group, and the share interested in Germany and in China ("i høj grad" or "i nogen grad"). */
const groups: { key: string; n: number; germany: number; china: number }[] = [
  { key: 'trade', n: 110, germany: 0.55, china: 0.1 },
  { key: 'construction', n: 90, germany: 0.2, china: 0.03 },
  { key: 'business_services', n: 85, germany: 0.24, china: 0.12 },
  { key: 'manufacturing', n: 80, germany: 0.62, china: 0.4 },
  { key: 'agriculture', n: 55, germany: 0.22, china: 0.4 },
  { key: 'hospitality', n: 40, germany: 0.55, china: 0.05 },
  { key: 'finance', n: 30, germany: 0.6, china: 0.1 },
  { key: 'transport', n: 30, germany: 0.3, china: 0.1 },
  { key: 'other_services', n: 28, germany: 0.14, china: 0.04 },
  { key: 'information', n: 25, germany: 0.24, china: 0.12 },
  { key: 'public_health', n: 15, germany: 0.07, china: 0 },
  { key: 'energy', n: 10, germany: 0.3, china: 0.2 },
];
const sizeShares: [string, number][] = [['none', 0.25], ['micro', 0.5], ['small', 0.17], ['medium', 0.06], ['large', 0.02]];
const comments = [
  'Vi vil gerne høre mere om messer i Nordtyskland.',
  'Hjælp til tysk moms og registrering ville være godt.',
  'Interesseret i de kinesiske dage.',
  'Vi mangler kontakter til distributører i Hamborg.',
  'Et netværk for virksomheder med eksport til Tyskland.',
];

/** A small deterministic generator, so the demo looks the same every time. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` answers of which `share` (rounded) are "high" or "some", the rest spread over the other options. */
function interestAnswers(n: number, share: number, rand: () => number): string[] {
  const interested = Math.round(n * share);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i < interested) out.push(rand() < 0.4 ? 'high' : 'some');
    else {
      const r = rand();
      out.push(r < 0.35 ? 'little' : r < 0.9 ? 'none' : 'unknown');
    }
  }
  // Shuffled, so Germany's and China's interested are not the same companies by construction.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export const DEMO_SURVEY_INVITED = 2_990;

export async function seedDemoSurveys(db: Db): Promise<void> {
  const [owner] = (await db.execute<{ org: string; user_id: string }>(sql`
    SELECT o.id AS org, u.id AS user_id FROM organisations o JOIN users u ON u.organisation_id = o.id
    WHERE o.key = ${localServiceKey(540)} ORDER BY u.created_at LIMIT 1`)).rows;
  if (!owner) return;
  const rand = prng(2020);
  const [survey] = await db
    .insert(surveys)
    .values({
      organisationId: owner.org,
      title: 'Virksomhedernes interesse for samhandel med Tyskland og Kina 2020',
      purpose: 'analysis',
      intro: 'Sønderborg Kommune vil gerne vide, om din virksomhed har interesse for samhandel med Tyskland og Kina. Svarene bruges i kommunens handleplan for internationalisering.',
      questions: tradeSurveyQuestions,
      status: 'closed',
      shared: true,
      createdBy: owner.user_id,
      createdAt: new Date('2020-02-14T09:00:00Z'),
      updatedAt: new Date('2020-04-30T15:00:00Z'),
      openedAt: new Date('2020-03-02T08:00:00Z'),
      closedAt: new Date('2020-04-30T15:00:00Z'),
    })
    .returning({ id: surveys.id });
  const surveyId = survey!.id;
  const total = groups.reduce((s, g) => s + g.n, 0);
  // The invitations of 2020 (addresses not kept): 598 of them answered.
  await db.execute(sql`
    INSERT INTO survey_invitations (survey_id, email, token_hash, created_at, answered_at, reminded_round)
    SELECT ${surveyId}::uuid, 'virksomhed-' || n || '@demo.invalid', md5(${surveyId} || ':' || n), '2020-03-02T08:00:00Z'::timestamptz,
      CASE WHEN n <= ${total} THEN '2020-03-02T08:00:00Z'::timestamptz + (n || ' minutes')::interval * 70 END, 1
    FROM generate_series(1, ${DEMO_SURVEY_INVITED}) AS n`);
  await db.execute(sql`UPDATE surveys SET reminder_round = 1 WHERE id = ${surveyId}`);

  const rows: (typeof surveyResponses.$inferInsert)[] = [];
  let k = 0;
  for (const g of groups) {
    const germany = interestAnswers(g.n, g.germany, rand);
    const china = interestAnswers(g.n, g.china, rand);
    for (let i = 0; i < g.n; i++) {
      const answers: AnswerSet = { germany: germany[i]!, china: china[i]! };
      const interested = ['high', 'some'].includes(germany[i]!) || ['high', 'some'].includes(china[i]!);
      if (interested) {
        const areas = (['export', 'import', 'online', 'establish', 'partners'] as const).filter((_, j) => rand() < [0.8, 0.55, 0.4, 0.12, 0.3][j]!);
        answers.areas = areas.length ? areas : ['export'];
        const need = () => (rand() < 0.3 ? 'large' : rand() < 0.7 ? 'some' : 'none');
        answers.needs = { market: need(), network: need(), rules: need(), culture: need() };
        if (rand() < 0.08) answers.comment = comments[Math.floor(rand() * comments.length)]!;
      }
      let r = rand();
      const size = sizeShares.find(([, share]) => (r -= share) < 0)?.[0] ?? 'micro';
      rows.push({ surveyId, answers, industryGroup: g.key, sizeBand: size, source: 'import', createdAt: new Date(Date.UTC(2020, 2, 2, 8) + k++ * 70 * 60_000) });
    }
  }
  await db.insert(surveyResponses).values(rows);
}
