export * from '../modules/organisations/schema.ts';
export * from '../modules/users/schema.ts';
export * from '../modules/companies/schema.ts';
export * from '../modules/prospects/schema.ts';
export * from '../modules/audit/schema.ts';
