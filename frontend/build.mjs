// Copies the front-end packages ketenconf serves into the Django static folder.
// Run by `make assets` (npm ci && npm run build); the copies are not committed.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "ketenconf", "core", "static", "vendor");

const files = {
  "@utrecht/component-library-css/dist/index.css": "utrecht-components.css",
  "@rijkshuisstijl-community/design-tokens/dist/index.css": "rhc-theme.css",
  "htmx.org/dist/htmx.min.js": "htmx.min.js",
  // The QR scanner of the door page (loaded there only); a plain script, global ZXingBrowser.
  "@zxing/browser/umd/zxing-browser.min.js": "zxing-browser.min.js",
};

mkdirSync(target, { recursive: true });
for (const [source, name] of Object.entries(files)) {
  copyFileSync(join(here, "node_modules", source), join(target, name));
  console.log(`built ketenconf/core/static/vendor/${name}`);
}
