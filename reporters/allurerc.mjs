/**
 * The Allure report's settings (scripts/allure-report.ts passes this file): one self-contained
 * index.html, which opens from disk, offline, with every result inside it.
 */
export default {
  plugins: {
    awesome: {
      options: { singleFile: true },
    },
  },
};
