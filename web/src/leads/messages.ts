/** The leads module's UI strings; merged into the app's dictionaries in i18n.tsx. */
export const leadsDa = {
} as const;

export const leadsEn: Record<keyof typeof leadsDa, string> = {
};
