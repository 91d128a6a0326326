// The Node peer of `brm check`: what a user would write with the fastest general tools.
// Reads every record file and brm.yaml, parses each with js-yaml (core schema, so that
// dates stay strings) and validates it with Ajv (draft 2020-12, allErrors, ajv-formats)
// against brm's schemas converted to JSON, plus the repository's own schema/<kind>.schema.yaml.
// It does not check references between records, which brm check does as well.
//
// usage: node bench/ajv-check.mjs REPO SCHEMA_JSON_DIR
// Prints one line per error and a summary; exits 1 when there are errors, as brm check does.
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

// The packages live in bench/work/node_modules (installed by bench/run from bench/package.json).
const require = createRequire(new URL("./work/package.json", import.meta.url));
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;
const yaml = require("js-yaml");

const [repo, schemaDir] = process.argv.slice(2);
if (!repo || !schemaDir) {
  console.error("usage: node ajv-check.mjs REPO SCHEMA_JSON_DIR");
  process.exit(2);
}

const kinds = {
  customers: "customer", agreements: "agreement", complaints: "complaint", meetings: "meeting",
  surveys: "survey", services: "service", requirements: "requirement",
};

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
for (const name of readdirSync(schemaDir).filter((n) => n.endsWith(".json")))
  ajv.addSchema(JSON.parse(readFileSync(join(schemaDir, name), "utf8")));

const listYaml = (dir) => {
  try {
    return readdirSync(dir).filter((n) => n.endsWith(".yaml") && !n.startsWith(".")).sort();
  } catch {
    return [];
  }
};
const load = (path) => yaml.load(readFileSync(path, "utf8"), { schema: yaml.CORE_SCHEMA });

// The repository's own rules for a kind, checked in addition to the built-in schema.
const ownRules = {};
for (const name of listYaml(join(repo, "schema"))) {
  const kind = name.slice(0, -".schema.yaml".length);
  const schema = load(join(repo, "schema", name));
  delete schema.$id;
  ownRules[kind] = ajv.compile(schema);
}

let files = 0, errors = 0;
function check(rel, validators) {
  files++;
  let doc;
  try {
    doc = load(join(repo, rel));
  } catch (e) {
    errors++;
    console.log(`${rel}: ${e.message.split("\n")[0]}`);
    return;
  }
  for (const validate of validators) {
    if (validate(doc)) continue;
    for (const e of validate.errors) {
      errors++;
      console.log(`${rel}: ${e.instancePath || "/"} ${e.message}`);
    }
  }
}

check("brm.yaml", [ajv.getSchema("urn:brm:schema:settings")]);
for (const [folder, kind] of Object.entries(kinds)) {
  const validators = [ajv.getSchema(`urn:brm:schema:${kind}`)];
  if (ownRules[kind]) validators.push(ownRules[kind]);
  for (const name of listYaml(join(repo, folder))) check(`${folder}/${name}`, validators);
}
console.log(`checked ${files} files: ${errors} errors`);
process.exit(errors ? 1 : 0);
