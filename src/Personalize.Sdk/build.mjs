// Bundles the SDK (with @microsoft/signalr) into the one ES module the gateway serves at
// /sdk/personalize.js. The output is committed so `dotnet run` needs no npm; `--check` rebuilds in
// memory and fails when the committed file differs from what the source and lockfile produce.
import { build } from "esbuild";
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, "..", "Personalize.Gateway", "wwwroot", "sdk");
const outputs = { js: join(outDir, "personalize.js"), dts: join(outDir, "personalize.d.ts") };
const check = process.argv.includes("--check");

const result = await build({
  entryPoints: [join(here, "src", "index.js")],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["es2020"],
  minify: true,
  legalComments: "none",
  write: false,
  banner: { js: "/* Personalize storefront SDK; bundles @microsoft/signalr (MIT). Built from src/Personalize.Sdk. */" },
});
const js = result.outputFiles[0].text;
const dts = await readFile(join(here, "src", "personalize.d.ts"), "utf8");

if (check) {
  const stale = [];
  for (const [file, expected] of [[outputs.js, js], [outputs.dts, dts]]) {
    const actual = await readFile(file, "utf8").catch(() => null);
    if (actual !== expected) stale.push(file);
  }
  if (stale.length) {
    console.error(`stale SDK bundle: ${stale.join(", ")}; run 'npm run build' in src/Personalize.Sdk and commit`);
    process.exit(1);
  }
  console.log("SDK bundle is up to date with its source");
} else {
  await mkdir(outDir, { recursive: true });
  await writeFile(outputs.js, js);
  await writeFile(outputs.dts, dts);
}
const bytes = Buffer.byteLength(js);
console.log(`personalize.js: ${bytes} bytes, ${gzipSync(js).length} bytes gzipped`);
