// Builds the web console (workers/console/) into build/assets/console/, the Workers static assets folder
// (wrangler.toml [assets]): one minified ES module with lit, the official A2UI renderer (@a2ui/lit +
// @a2ui/web_core, basic catalog) and the console itself, plus index.html and the stylesheet. `--watch` rebuilds
// on change (npm run dev starts it). Prints the bundle's size, raw and gzipped, so growth is seen.
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "workers", "console");
const out = join(root, "build", "assets", "console");
const watch = process.argv.includes("--watch");

const copyStatic = {
  name: "copy-static",
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length > 0) return;
      for (const file of ["index.html", "console.css"]) copyFileSync(join(source, file), join(out, file));
      // Response headers for the assets (CSP and friends): Workers assets read `_headers` at the folder's root.
      copyFileSync(join(source, "_headers"), join(out, "..", "_headers"));
      const bundle = readFileSync(join(out, "console.js"));
      console.log(`console: build/assets/console/console.js ${(bundle.length / 1024).toFixed(0)} KiB, ${(gzipSync(bundle).length / 1024).toFixed(0)} KiB gzipped`);
    });
  },
};

mkdirSync(out, { recursive: true });
const options = {
  entryPoints: [join(source, "main.ts")],
  outfile: join(out, "console.js"),
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: "linked",
  legalComments: "linked",
  tsconfig: join(source, "tsconfig.json"),
  logLevel: "warning",
  plugins: [copyStatic],
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
  console.log("console: watching workers/console for changes");
} else {
  await esbuild.build(options);
}
