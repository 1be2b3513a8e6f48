import type { MessageKey, TParams } from '../../../shared/i18n.tsx';

type T = (key: MessageKey, params?: TParams) => string;

const levelKeys: Record<string, MessageKey> = {
  begynder: 'selfAssessment.level.beginner',
  'på vej': 'selfAssessment.level.onTheWay',
  moden: 'selfAssessment.level.mature',
};

/** The server names a level by its Danish word (also in stored leads); show it in the page's language. */
export const levelLabel = (t: T, level: string) => (levelKeys[level] ? t(levelKeys[level]) : level);
