import { describe, expect, it } from 'vitest';
import { questionnaireSchema, validateAnswers, type Question, type QuestionInput } from './questionnaire.ts';
import { computeSurveyResults } from './results.ts';
import { exposedCells } from '../../policies/disclosure.ts';
import { industryGroupOf, sizeBandOf } from './groups.ts';

const definition: QuestionInput[] = [
  { id: 'de', type: 'single', text: 'Interesse for Tyskland?', required: true, options: [{ id: 'high', label: 'I høj grad' }, { id: 'some', label: 'I nogen grad' }, { id: 'none', label: 'Slet ikke' }] },
  { id: 'areas', type: 'multiple', text: 'Interesseområder', maxChoices: 2, options: [{ id: 'export', label: 'Eksport' }, { id: 'import', label: 'Import' }, { id: 'online', label: 'Nethandel' }] },
  { id: 'score', type: 'scale', text: 'Hvor parat?', min: 1, max: 5, minLabel: 'Slet ikke', maxLabel: 'Helt' },
  { id: 'comment', type: 'text', text: 'Kommentar', maxLength: 20 },
  { id: 'm', type: 'matrix', text: 'Markeder', required: true, rows: [{ id: 'de', label: 'Tyskland' }, { id: 'cn', label: 'Kina' }], columns: [{ id: 'y', label: 'Ja' }, { id: 'n', label: 'Nej' }] },
];
const questions: Question[] = questionnaireSchema.parse(definition);

describe('questionnaire engine: definitions', () => {
  it('accepts every question type and fills defaults', () => {
    expect(questions.map((q) => q.type)).toEqual(['single', 'multiple', 'scale', 'text', 'matrix']);
    expect(questions[1]!.required).toBe(false);
  });

  it('refuses duplicate ids, an empty scale, too few options and too many choices, naming the field', () => {
    const bad = questionnaireSchema.safeParse([
      { id: 'a', type: 'single', text: 'A', options: [{ id: 'x', label: 'X' }, { id: 'x', label: 'Y' }] },
      { id: 'a', type: 'scale', text: 'B', min: 5, max: 5 },
      { id: 'c', type: 'multiple', text: 'C', maxChoices: 3, options: [{ id: 'x', label: 'X' }, { id: 'y', label: 'Y' }] },
      { id: 'd', type: 'single', text: 'D', options: [{ id: 'x', label: 'X' }] },
    ]);
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => `${i.path.join('.')}:${i.message}`);
    expect(paths).toEqual(expect.arrayContaining(['1.id:survey.duplicateId', '0.options.1.id:survey.duplicateId', '1.max:survey.scaleRange', '2.maxChoices:survey.maxChoices']));
    expect(bad.error!.issues.some((i) => i.path.join('.') === '3.options')).toBe(true);
    expect(questionnaireSchema.safeParse([]).success).toBe(false);
  });
});

describe('questionnaire engine: answers', () => {
  it('accepts a fitting answer set and normalises it', () => {
    const r = validateAnswers(questions, { de: 'high', areas: ['online', 'export', 'export'], score: 3, comment: '  ok  ', m: { de: 'y', cn: 'n' } });
    expect(r).toEqual({ ok: true, answers: { de: 'high', areas: ['export', 'online'], score: 3, comment: 'ok', m: { de: 'y', cn: 'n' } } });
  });

  it('leaves out blank optional answers', () => {
    expect(validateAnswers(questions, { de: 'none', areas: [], comment: ' ', m: { de: 'n', cn: 'n' } })).toEqual({ ok: true, answers: { de: 'none', m: { de: 'n', cn: 'n' } } });
  });

  it('names every problem: required, unknown option, range, length, type, matrix rows, unknown questions', () => {
    const r = validateAnswers(questions, { areas: ['export', 'import', 'online'], score: 9, comment: 'x'.repeat(21), m: { de: 'maybe', xx: 'y' }, extra: 'x' });
    expect(r.ok).toBe(false);
    const issues = (r as { issues: { field: string; key: string }[] }).issues.map((i) => `${i.field}:${i.key}`);
    expect(issues.sort()).toEqual(
      ['answers.extra:survey.unknownQuestion', 'answers.de:required', 'answers.areas:survey.tooManyChoices', 'answers.score:tooBig', 'answers.comment:tooLong', 'answers.m.xx:survey.unknownQuestion', 'answers.m.de:invalidOption', 'answers.m.cn:required'].sort(),
    );
    const wrong = validateAnswers(questions, { de: 'nope', score: 2.5, areas: 'export', m: ['y'] });
    expect((wrong as { issues: { field: string; key: string }[] }).issues.map((i) => `${i.field}:${i.key}`).sort()).toEqual(['answers.areas:invalidType', 'answers.de:invalidOption', 'answers.m:invalidType', 'answers.score:invalidType'].sort());
  });
});

describe('groups', () => {
  it('puts industry codes in main groups and employees in size bands', () => {
    expect(industryGroupOf('256200')).toBe('manufacturing');
    expect(industryGroupOf('452010')).toBe('trade');
    expect(industryGroupOf('014100')).toBe('agriculture');
    expect(industryGroupOf(null)).toBeNull();
    expect([0, 1, 9, 10, 49, 50, 250].map(sizeBandOf)).toEqual(['none', 'micro', 'micro', 'small', 'small', 'medium', 'large']);
  });
});

describe('results under disclosure control', () => {
  const single = questions[0]!;
  const rows = [
    ...Array.from({ length: 12 }, (_, i) => ({ industryGroup: 'manufacturing', sizeBand: 'small', answers: { de: i < 8 ? 'high' : 'none' } })),
    ...Array.from({ length: 9 }, (_, i) => ({ industryGroup: 'trade', sizeBand: 'micro', answers: { de: i < 3 ? 'some' : 'none' } })),
    ...Array.from({ length: 3 }, () => ({ industryGroup: 'hospitality', sizeBand: 'micro', answers: { de: 'high' } })),
  ];
  const run = (protect: boolean) => computeSurveyResults({ questions: [single], rows, invited: 100, answeredInvitations: 24, protect, showTexts: !protect, breakdownQuestion: 'de', lang: 'da' });

  it('gives the owner exact figures', () => {
    const r = run(false);
    const industry = r.breakdowns.find((b) => b.by === 'industry')!;
    expect(industry.groups.find((g) => g.key === 'hospitality')).toMatchObject({ answered: 3, suppressed: false });
    expect(r.responseRate).toBe(24);
  });

  it('withholds a group on fewer than 5 companies and enough beside it that neither the total nor the other groups give it away', () => {
    const r = run(true);
    const industry = r.breakdowns.find((b) => b.by === 'industry')!;
    const hospitality = industry.groups.find((g) => g.key === 'hospitality')!;
    expect(hospitality).toMatchObject({ answered: null, suppressed: true });
    // Differencing: the overall distribution minus the shown groups must not pin the small group down.
    const overall = r.questions[0]!;
    for (const cat of overall.categories) {
      const shownGroups = industry.groups.filter((g) => !g.cells.find((c) => c.key === cat.key)!.suppressed);
      const hiddenGroups = industry.groups.length - shownGroups.length;
      if (cat.count !== null && hiddenGroups > 0) expect(hiddenGroups).toBeGreaterThanOrEqual(2);
    }
    const hiddenTotals = industry.groups.filter((g) => g.suppressed).length;
    expect(overall.answered === null || hiddenTotals >= 2).toBe(true);
    // The whole table's equations leave no small cell determined.
    const sizes = new Map<string, number>();
    const suppressed = new Set<string>();
    for (const g of industry.groups) for (const c of g.cells) {
      const n = rows.filter((row) => row.industryGroup === g.key && row.answers.de === c.key).length;
      if (n > 0) sizes.set(`${g.key}|${c.key}`, n);
      if (c.suppressed) suppressed.add(`${g.key}|${c.key}`);
    }
    const partitions = overall.categories.map((c) => ({ total: c.key, cells: industry.groups.map((g) => `${g.key}|${c.key}`) }));
    for (const c of overall.categories) {
      sizes.set(c.key, rows.filter((row) => row.answers.de === c.key).length);
      if (c.suppressed) suppressed.add(c.key);
    }
    for (const g of industry.groups) {
      sizes.set(`${g.key}|T`, rows.filter((row) => row.industryGroup === g.key).length);
      if (g.suppressed) suppressed.add(`${g.key}|T`);
      partitions.push({ total: `${g.key}|T`, cells: overall.categories.map((c) => `${g.key}|${c.key}`) });
    }
    expect(exposedCells({ sizes, partitions }, suppressed).filter((k) => (sizes.get(k) ?? 0) < 5)).toEqual([]);
  });
});
