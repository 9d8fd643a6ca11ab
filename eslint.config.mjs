// ESLint (flat config): the recommended JavaScript rules everywhere; for the TypeScript, typescript-eslint's
// type-aware recommended rules against tsconfig.json (editor/ against editor/tsconfig.json, the nearest one).
// The scripts left in the nodes' .html files (each registerType literal) are linted too, through a small
// processor. Formatting is Prettier's job (`npm run format`), not ESLint's.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

// The globals a Node.js CommonJS script sees (the `globals` package is not a dependency of this project).
const nodeGlobals = Object.fromEntries(
  [
    'require',
    'module',
    'exports',
    '__dirname',
    '__filename',
    'process',
    'console',
    'Buffer',
    'URL',
    'URLSearchParams',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'clearImmediate',
    'queueMicrotask',
    'structuredClone',
    'AbortController',
    'AbortSignal',
    'TextEncoder',
    'TextDecoder',
    'fetch',
  ].map((name) => [name, 'readonly']),
);

/**
 * The JavaScript of an editor HTML file (its `<script type="text/javascript">` blocks) as one script, with every
 * other character blanked and line breaks kept: messages point at the very line and column of the .html.
 */
const editorHtml = {
  meta: { name: 'tunewire-editor-html' },
  preprocess(text) {
    const blocks = /(<script type="text\/javascript">)([\s\S]*?)(<\/script>)/g;
    const blank = (s) => s.replace(/[^\n]/g, ' ');
    let code = '';
    let at = 0;
    for (const m of text.matchAll(blocks)) {
      code += blank(text.slice(at, m.index + m[1].length)) + m[2];
      at = m.index + m[1].length + m[2].length;
    }
    return [{ text: code + blank(text.slice(at)), filename: 'editor.js' }];
  },
  postprocess: (messages) => messages.flat(),
  supportsAutofix: false,
};

export default defineConfig(
  // The editor bundle is built from editor/ (scripts/build.js); help files in locales/ hold no script.
  globalIgnores(['dist/', 'dist-*/', 'node_modules/', '.demo/', 'test-output/', 'resources/editor.js']),
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      ecmaVersion: 2022,
      globals: nodeGlobals,
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    // Editor scripts run in the browser beside Node-RED's editor (RED, jQuery), as plain scripts.
    files: ['resources/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        window: 'readonly',
        document: 'readonly',
        RED: 'readonly',
        $: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
  {
    // Each node's registerType literal, which reaches the editor code only through the global `tunewire`.
    files: ['nodes/*.html', 'editor/*.html'],
    processor: editorHtml,
  },
  {
    files: ['nodes/*.html/*.js', 'editor/*.html/*.js'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'script',
      globals: { RED: 'readonly', $: 'readonly', tunewire: 'readonly' },
    },
  },
  {
    files: ['nodes/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts', 'editor/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // tsc's noUnusedParameters convention: a parameter a signature requires but the body does not read
      // (express's `next`, a callback's first argument) is named with a leading underscore.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
);
