import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Roles and organisation types: the words a permission check in the browser would compare against. */
const policyWords = '^(adviser|manager|admin|reader|business_hub|local_business_service|kkr|national_authority|operator)$';
const webPolicyRules = [
  { selector: `BinaryExpression > Literal[value=/${policyWords}/]`, message: 'No role or organisation-type checks in the web: use the abilities the server sends.' },
  { selector: `ArrayExpression > Literal[value=/${policyWords}/]`, message: 'No role or organisation-type lists in the web: use the abilities the server sends.' },
  { selector: `CallExpression[callee.property.name='includes'] > Literal[value=/${policyWords}/]`, message: 'No role or organisation-type checks in the web: use the abilities the server sends.' },
  { selector: 'MemberExpression[property.name=/^(role|systemAdmin|earlyWarning)$/]', message: "The web reads no user's role or permissions: use the abilities the server sends." },
  { selector: "MemberExpression[object.property.name='organisation'][property.name='type']", message: "The web reads no organisation type to decide: use the abilities the server sends." },
];

export default tseslint.config(
  { ignores: ['dist/', 'data/', 'node_modules/', 'test-results/', 'playwright-report/', '.bench/', 'scratch/', 'server/db/migrations/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The web takes the server's types, never its code.
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ regex: '^(#server/|(\\.\\./)+server/)', allowTypeImports: true, message: 'The web imports only types from the server (import type).' }] }],
      // The web decides no permission: it shows what the abilities the server sent allow (server/policies).
      'no-restricted-syntax': ['error', ...webPolicyRules],
    },
  },
  {
    // The users page shows each user's role and Early Warning permission as data and offers the roles
    // in a select; it still compares none (which role the caller may give is the server's answer).
    files: ['web/src/modules/users/**/*.{ts,tsx}'],
    rules: { 'no-restricted-syntax': ['error', ...webPolicyRules.filter((r) => !/^(MemberExpression\[property|ArrayExpression)/.test(r.selector))] },
  },
);
