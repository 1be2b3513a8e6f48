/** The contacts UI strings, Danish first; web/src/messages.ts puts every module's strings into the app's dictionaries. */
export const contactsDa = {
  'contacts.add': 'Tilføj kontaktperson',
  'contacts.name': 'Navn',
  'contacts.jobTitle': 'Titel',
  'contacts.email': 'E-mail',
  'contacts.phone': 'Telefon',
  'contacts.organisation': 'Registreret af',
  'contacts.empty': 'Der er ingen kontaktpersoner, som du må se.',
  'contacts.caption': 'Kontaktpersoner',
  'contacts.added': 'Kontaktpersonen er tilføjet.',
  'contacts.erased': 'Slettet',
};

export const contactsEn: Record<keyof typeof contactsDa, string> = {
  'contacts.add': 'Add contact',
  'contacts.name': 'Name',
  'contacts.jobTitle': 'Title',
  'contacts.email': 'Email',
  'contacts.phone': 'Phone',
  'contacts.organisation': 'Recorded by',
  'contacts.empty': 'There are no contacts that you may see.',
  'contacts.caption': 'Contacts',
  'contacts.added': 'The contact has been added.',
  'contacts.erased': 'Erased',
};
