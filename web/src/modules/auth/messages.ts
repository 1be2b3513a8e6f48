/** The auth UI strings, Danish first; web/src/messages.ts puts every module's strings into the app's dictionaries. */
export const authDa = {
  'login.title': 'Log ind',
  'login.intro': 'Log ind med din e-mail og adgangskode.',
  'login.email': 'E-mail',
  'login.password': 'Adgangskode',
  'login.submit': 'Log ind',
  'login.submitting': 'Logger ind …',
  'login.failed': 'Login mislykkedes',
};

export const authEn: Record<keyof typeof authDa, string> = {
  'login.title': 'Sign in',
  'login.intro': 'Sign in with your email and password.',
  'login.email': 'Email',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in …',
  'login.failed': 'Sign-in failed',
};
