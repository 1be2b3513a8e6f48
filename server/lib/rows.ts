/** Small converters for raw SQL rows: both drivers return timestamps as Date, counts sometimes as strings. */
export const isoTime = (value: Date | string | null | undefined): string | null => (value == null ? null : new Date(value).toISOString());
export const ref = (id: string | null | undefined, name: string | null | undefined) => (id ? { id, name: name ?? '' } : null);
