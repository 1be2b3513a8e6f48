import type { Lang } from '../../http/i18n.ts';
import { HttpProblem } from '../../http/problem.ts';
import { validateAnswers, type Question as EngineQuestion } from '../surveys/questionnaire.ts';

export const selfAssessmentKeys = ['digital', 'export', 'green'] as const;
export type SelfAssessmentKey = (typeof selfAssessmentKeys)[number];
export const selfAssessmentLevels = ['begynder', 'på vej', 'moden'] as const;
export type SelfAssessmentLevel = (typeof selfAssessmentLevels)[number];

/** One question: options scored 0 (not started) … 3 (advanced). */
interface Question {
  id: string;
  da: string;
  en: string;
  options: { da: string; en: string }[];
}

interface Questionnaire {
  key: SelfAssessmentKey;
  theme: string;
  title: { da: string; en: string };
  questions: Question[];
  levels: { min: number; level: SelfAssessmentLevel; da: string; en: string }[];
}

const scale = (da: [string, string, string, string], en: [string, string, string, string]) => da.map((d, i) => ({ da: d, en: en[i]! }));
const usual = scale(['Slet ikke', 'Lidt', 'En del', 'I høj grad'], ['Not at all', 'A little', 'Quite a lot', 'To a great extent']);

/** Short self-assessments on the public entry point: a level with an explanation and offers to match. */
export const questionnaires: Questionnaire[] = [
  {
    key: 'digital',
    theme: 'digitalisation',
    title: { da: 'Digital modenhed', en: 'Digital maturity' },
    questions: [
      { id: 'd1', da: 'Sælger I online (webshop, platforme eller EDI)?', en: 'Do you sell online (web shop, platforms or EDI)?', options: usual },
      { id: 'd2', da: 'Er jeres administration digital (fakturering, bogføring, lager)?', en: 'Is your administration digital (invoicing, bookkeeping, stock)?', options: usual },
      { id: 'd3', da: 'Bruger I data til at træffe beslutninger?', en: 'Do you use data to make decisions?', options: usual },
      { id: 'd4', da: 'Har I en plan for it-sikkerhed?', en: 'Do you have a plan for IT security?', options: usual },
      { id: 'd5', da: 'Har medarbejderne de digitale kompetencer, I har brug for?', en: 'Do your staff have the digital skills you need?', options: usual },
    ],
    levels: [
      { min: 0, level: 'begynder', da: 'I er i gang med de første digitale skridt. Start med at digitalisere administrationen og få styr på it-sikkerheden.', en: 'You are taking the first digital steps. Start by digitising administration and getting IT security in place.' },
      { min: 6, level: 'på vej', da: 'I har et godt fundament. Næste skridt er at bruge data og digitale salgskanaler mere målrettet.', en: 'You have a good foundation. Next, use data and digital sales channels more deliberately.' },
      { min: 11, level: 'moden', da: 'I er digitalt modne. Se på automatisering, nye forretningsmodeller og kunstig intelligens.', en: 'You are digitally mature. Look at automation, new business models and artificial intelligence.' },
    ],
  },
  {
    key: 'export',
    theme: 'export',
    title: { da: 'Eksportparathed', en: 'Export readiness' },
    questions: [
      { id: 'e1', da: 'Har I kunder uden for Danmark i dag?', en: 'Do you have customers outside Denmark today?', options: usual },
      { id: 'e2', da: 'Kender I jeres vigtigste eksportmarked (kunder, konkurrenter, regler)?', en: 'Do you know your key export market (customers, competitors, rules)?', options: usual },
      { id: 'e3', da: 'Kan jeres produktion og levering følge med en større efterspørgsel?', en: 'Can your production and delivery keep up with higher demand?', options: usual },
      { id: 'e4', da: 'Har I materiale og hjemmeside på markedets sprog?', en: 'Do you have material and a website in the market’s language?', options: usual },
      { id: 'e5', da: 'Har I finansiering til at gå ind på et nyt marked?', en: 'Do you have financing to enter a new market?', options: usual },
    ],
    levels: [
      { min: 0, level: 'begynder', da: 'Eksport er et godt mål, men forbered jer først: vælg ét marked, og afklar kapacitet og finansiering.', en: 'Export is a good goal, but prepare first: choose one market and clarify capacity and financing.' },
      { min: 6, level: 'på vej', da: 'I er tæt på. Få en markedsafklaring og tjek støttemuligheder til eksportrådgivning.', en: 'You are close. Get a market assessment and check support for export advice.' },
      { min: 11, level: 'moden', da: 'I er eksportparate. Se på messer, partnere og finansiering af større ordrer.', en: 'You are ready to export. Look at trade fairs, partners and financing of larger orders.' },
    ],
  },
  {
    key: 'green',
    theme: 'green_transition',
    title: { da: 'Grøn omstilling', en: 'Green transition' },
    questions: [
      { id: 'g1', da: 'Kender I jeres energiforbrug og CO₂-udledning?', en: 'Do you know your energy use and CO₂ emissions?', options: usual },
      { id: 'g2', da: 'Har I mål for at reducere forbrug og affald?', en: 'Do you have targets for reducing consumption and waste?', options: usual },
      { id: 'g3', da: 'Spørger jeres kunder efter bæredygtighed?', en: 'Do your customers ask about sustainability?', options: usual },
      { id: 'g4', da: 'Genbruger I materialer eller produkter?', en: 'Do you reuse materials or products?', options: usual },
      { id: 'g5', da: 'Har I overvejet grønne investeringer (energi, transport, maskiner)?', en: 'Have you considered green investments (energy, transport, machinery)?', options: usual },
    ],
    levels: [
      { min: 0, level: 'begynder', da: 'Start med at kortlægge energiforbrug og affald; det giver ofte hurtige besparelser.', en: 'Start by mapping energy use and waste; it often brings quick savings.' },
      { min: 6, level: 'på vej', da: 'I er godt i gang. Sæt mål, og se på investeringer, der både sparer penge og CO₂.', en: 'You are well under way. Set targets and look at investments that save both money and CO₂.' },
      { min: 11, level: 'moden', da: 'I er langt. Brug den grønne profil i salget, og se på cirkulære forretningsmodeller.', en: 'You are far ahead. Use your green profile in sales and look at circular business models.' },
    ],
  },
];

export function questionnaireView(q: Questionnaire, lang: Lang) {
  return {
    key: q.key,
    title: q.title[lang],
    questions: q.questions.map((question) => ({ id: question.id, text: question[lang], options: question.options.map((o, value) => ({ value, label: o[lang] })) })),
  };
}

/**
 * The questionnaire as the questionnaire engine (server/modules/surveys/questionnaire.ts) holds it:
 * each question a required scale from 0 to its last option, so answers are checked by the same
 * validator as a survey's.
 */
export function engineQuestions(q: Questionnaire): EngineQuestion[] {
  return q.questions.map((question) => ({
    id: question.id,
    text: question.da,
    type: 'scale' as const,
    required: true,
    min: 0,
    max: question.options.length - 1,
    minLabel: question.options[0]!.da,
    maxLabel: question.options.at(-1)!.da,
  }));
}

/** Every question answered with one of its options' scores, nothing else; else a 400 naming each field. */
export function checkSelfAssessment(q: Questionnaire, answers: Record<string, unknown>): Record<string, number> {
  const checked = validateAnswers(engineQuestions(q), answers);
  if (!checked.ok) throw new HttpProblem(400, 'validation.failed', {}, checked.issues);
  return checked.answers as Record<string, number>;
}

/** Scores answers (0–3 per question) to a level; every question must be answered (`checkSelfAssessment`). */
export function assess(q: Questionnaire, answers: Record<string, number>, lang: Lang) {
  const score = q.questions.reduce((sum, question) => sum + (answers[question.id] ?? 0), 0);
  const maxScore = q.questions.length * 3;
  const level = [...q.levels].reverse().find((l) => score >= l.min)!;
  return { key: q.key, title: q.title[lang], score, maxScore, level: level.level, explanation: level[lang], theme: q.theme };
}
