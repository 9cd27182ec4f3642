// ESLint for the PWA (hep/static): the recommended rules, unused names as errors, and the
// globals of where each file runs (pages, the service worker). No build step is involved.
// `make lint` runs it from the repository root with `-c tests/node/eslint.config.mjs`.

import { fileURLToPath } from "node:url";

import js from "@eslint/js";
import globals from "globals";

// the patterns below are relative to the repository root, wherever ESLint is started
const root = fileURLToPath(new URL("../..", import.meta.url));

export default [
  {
    basePath: root,
    files: ["hep/static/**/*.js"],
    ...js.configs.recommended,
  },
  {
    basePath: root,
    files: ["hep/static/**/*.js"],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: "module",
      globals: globals.browser,
    },
    rules: {
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
    },
  },
  {
    basePath: root,
    files: ["hep/static/sw.js"],
    languageOptions: {
      sourceType: "script",
      globals: globals.serviceworker,
    },
  },
];
