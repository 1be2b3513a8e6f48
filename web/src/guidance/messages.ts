/** The guidance module's UI strings; merged into the app's dictionaries in i18n.tsx. */
export const guidanceDa = {
} as const;

export const guidanceEn: Record<keyof typeof guidanceDa, string> = {
};
