import ExcelJS from 'exceljs';
import type { Lang } from '../../http/i18n.ts';
import type { SurveyResults } from './schemas.ts';

const words = {
  da: { results: 'Resultater', question: 'Spørgsmål', answer: 'Svar', count: 'Antal', percent: 'Procent', answered: 'Besvaret', invited: 'Inviterede', responses: 'Besvarelser', rate: 'Svarprocent', hidden: 'Skjult (færre end 5)', industry: 'Branche', size: 'Størrelse', texts: 'Fritekst', protected: 'Små grupper (færre end 5 virksomheder) er skjult.' },
  en: { results: 'Results', question: 'Question', answer: 'Answer', count: 'Count', percent: 'Per cent', answered: 'Answered', invited: 'Invited', responses: 'Responses', rate: 'Response rate', hidden: 'Hidden (fewer than 5)', industry: 'Industry', size: 'Size', texts: 'Free text', protected: 'Small groups (fewer than 5 companies) are hidden.' },
};

/** Text a spreadsheet would run as a formula is written as text ('=…). */
const defuse = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

/** The results as the page shows them: one sheet of distributions, one per breakdown, and the owner's free texts. */
export function resultsWorkbook(results: Omit<SurveyResults, never>, lang: Lang): ExcelJS.Workbook {
  const w = words[lang];
  const cell = (v: number | null, suppressed: boolean) => (suppressed ? w.hidden : (v ?? ''));
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(w.results);
  sheet.addRow([defuse(results.survey.title)]).font = { bold: true, size: 14 };
  sheet.addRow([w.invited, cell(results.invited, results.invited === null)]);
  sheet.addRow([w.responses, cell(results.responses, results.responses === null)]);
  sheet.addRow([w.rate, results.responseRate ?? '']);
  if (results.disclosureControl) sheet.addRow([w.protected]);
  sheet.addRow([]);
  sheet.addRow([w.question, w.answer, w.count, w.percent]).font = { bold: true };
  for (const q of results.questions) {
    sheet.addRow([defuse(q.text), w.answered, cell(q.answered, q.suppressed), '']).font = { italic: true };
    const rowLabel = new Map((q.rows ?? []).map((r) => [r.id, r.label]));
    for (const c of q.categories) sheet.addRow(['', defuse(c.row ? `${rowLabel.get(c.row)}: ${c.label}` : c.label), cell(c.count, c.suppressed), c.percent ?? '']);
  }
  sheet.columns.forEach((c, i) => (c.width = i < 2 ? 48 : 14));
  for (const b of results.breakdowns) {
    const s = book.addWorksheet(b.by === 'industry' ? w.industry : w.size);
    const q = results.questions.find((x) => x.id === b.questionId);
    s.addRow([defuse(q?.text ?? '')]).font = { bold: true };
    s.addRow([b.by === 'industry' ? w.industry : w.size, w.answered, ...b.categories.map((c) => defuse(c.label))]).font = { bold: true };
    for (const g of b.groups) s.addRow([g.label, cell(g.answered, g.suppressed), ...g.cells.map((c) => cell(c.count, c.suppressed))]);
    s.columns.forEach((c, i) => (c.width = i === 0 ? 48 : 16));
  }
  const texts = results.questions.filter((q) => q.texts && q.texts.length > 0);
  if (texts.length > 0) {
    const s = book.addWorksheet(w.texts);
    for (const q of texts) {
      s.addRow([defuse(q.text)]).font = { bold: true };
      for (const t of q.texts!) s.addRow([defuse(t)]);
      s.addRow([]);
    }
    s.getColumn(1).width = 100;
  }
  return book;
}
