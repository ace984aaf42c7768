// Validates every skills/<name>/SKILL.md (agentskills.io rules) and writes skills/catalog.gen.ts, which the
// Worker imports: Workers have no file system, and a broken skill should fail the build, not a request.
// Tier-3 files (references/, assets/) are bundled as text, so `read_skill_resource` can serve them.
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from "node:fs";
import { join, dirname, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "skills");
const ALLOWED_KEYS = new Set(["name", "description", "license", "compatibility", "metadata", "allowed-tools"]);
const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** What every model provider accepts as a function name (durable-objects/agents/orchestrator/tools/tool.ts). */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
/** Only these folders are bundled: a Worker cannot run `scripts/`, and other files would never be read. */
const RESOURCE_PATH = /^(references|assets)\/[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
/** Every resource file is read whole into the model's context: keep them small (the spec: "keep files small"). */
export const MAX_RESOURCE_BYTES = 32 * 1024;
export const MAX_SKILL_RESOURCE_BYTES = 128 * 1024;

function fail(file, message) {
  throw new Error(`${relative(process.cwd(), file)}: ${message}`);
}

function listFiles(dir, base = dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? listFiles(path, base) : [relative(base, path).split(sep).join("/")];
  });
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A resource's text, or a build error for anything a model could not read as text. */
function readText(file) {
  const bytes = readFileSync(file);
  if (bytes.length > MAX_RESOURCE_BYTES) fail(file, `is ${bytes.length} bytes; a bundled resource may have at most ${MAX_RESOURCE_BYTES}`);
  let text;
  try {
    text = utf8.decode(bytes);
  } catch {
    fail(file, "is not UTF-8 text; only text resources are bundled");
  }
  if (text.includes("\u0000")) fail(file, "contains NUL bytes; only text resources are bundled");
  return { text, bytes: bytes.length };
}

function parseAllowedTools(file, value) {
  if (value === undefined) return [];
  if (typeof value !== "string") fail(file, "allowed-tools must be one space-separated string");
  const tools = value.split(/\s+/).filter(Boolean);
  for (const tool of tools) if (!TOOL_NAME.test(tool)) fail(file, `allowed-tools: "${tool}" is not a tool name (letters, digits, _ and -, at most 64)`);
  return [...new Set(tools)];
}

function readResources(folder) {
  const dir = join(root, folder);
  const paths = listFiles(dir).filter((f) => f !== "SKILL.md").sort();
  let total = 0;
  const resources = paths.map((path) => {
    const file = join(dir, path);
    if (!RESOURCE_PATH.test(path)) fail(file, "only references/ and assets/ files (names of letters, digits, '.', '_' and '-') are bundled with a skill");
    const { text, bytes } = readText(file);
    total += bytes;
    return { path, text, bytes };
  });
  if (total > MAX_SKILL_RESOURCE_BYTES) fail(dir, `resources total ${total} bytes; at most ${MAX_SKILL_RESOURCE_BYTES} per skill`);
  return resources;
}

/** Every `references/…` or `assets/…` path the body mentions must be bundled: a dangling link is a build error. */
function checkLinks(file, body, resources) {
  const known = new Set(resources.map((r) => r.path));
  for (const match of body.matchAll(/\b((?:references|assets)\/[A-Za-z0-9._\/-]*[A-Za-z0-9_-])/g)) {
    if (!known.has(match[1])) fail(file, `the body mentions ${match[1]}, which is not in the skill's folder`);
  }
}

export function parseSkill(folder) {
  const file = join(root, folder, "SKILL.md");
  const text = readFileSync(file, "utf8");
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) fail(file, "must start with YAML frontmatter between --- lines");
  const doc = parseDocument(match[1], { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length) fail(file, doc.errors.map((e) => e.message).join("; "));
  const front = doc.toJS();
  if (!front || typeof front !== "object" || Array.isArray(front)) fail(file, "frontmatter must be a mapping");
  for (const key of Object.keys(front)) if (!ALLOWED_KEYS.has(key)) fail(file, `unexpected frontmatter key "${key}"`);
  const { name, description, metadata = {} } = front;
  if (typeof name !== "string" || name.length > 64 || !NAME.test(name)) fail(file, "name must be 1-64 chars of a-z, 0-9 and single hyphens");
  if (name !== folder) fail(file, `name "${name}" must equal its folder name "${folder}"`);
  if (typeof description !== "string" || !description.trim() || description.length > 1024) fail(file, "description must be 1-1024 characters");
  if (front.compatibility !== undefined && (typeof front.compatibility !== "string" || front.compatibility.length > 500)) {
    fail(file, "compatibility must be a string of at most 500 characters");
  }
  if (typeof metadata !== "object" || Array.isArray(metadata)) fail(file, "metadata must be a mapping of string to string");
  for (const [key, value] of Object.entries(metadata)) if (typeof value !== "string") fail(file, `metadata.${key} must be a string (quote it)`);
  const allowedTools = parseAllowedTools(file, front["allowed-tools"]);
  const body = match[2].trim();
  const resources = readResources(folder);
  checkLinks(file, body, resources);
  return { name, description, ...(front.license ? { license: front.license } : {}), metadata, allowedTools, body, resources };
}

export function buildCatalog() {
  const folders = readdirSync(root).filter((entry) => existsSync(join(root, entry, "SKILL.md"))).sort();
  return folders.map(parseSkill);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const catalog = buildCatalog();
  const out = join(root, "catalog.gen.ts");
  writeFileSync(
    out,
    `// Generated by scripts/build-skills.mjs from skills/*/SKILL.md. Do not edit.\nimport type { SkillRecord } from "./skill";\n\n` +
      `export const catalog: SkillRecord[] = ${JSON.stringify(catalog, null, 2)};\n\nexport const builtAt = ${JSON.stringify(new Date().toUTCString())};\n`,
  );
  console.log(`skills: ${catalog.map((s) => s.name).join(", ")} -> ${relative(process.cwd(), out)}`);
}
