/** The self-assessment module's UI strings; merged into the app's dictionaries in i18n.tsx. */
export const selfAssessmentDa = {
} as const;

export const selfAssessmentEn: Record<keyof typeof selfAssessmentDa, string> = {
};
