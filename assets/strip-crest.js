// Removes GOV.UK Frontend's footer crest rules from the compiled CSS (see script/build-assets for why)
// and fails if any reference to the crest image is left.
const fs = require("fs");
const file = process.argv[2];
const css = fs
  .readFileSync(file, "utf8")
  .replace(/@supports\([^{]*\)\{\.govuk-footer__copyright-logo::before\{[^}]*govuk-crest[^}]*\}\}/g, "")
  .replace(/\.govuk-footer__copyright-logo::before\{[^}]*govuk-crest[^}]*\}/g, "");
if (css.includes("govuk-crest")) {
  console.error(`govuk-crest is still referenced in ${file}`);
  process.exit(1);
}
fs.writeFileSync(file, css);
