// The exported schemas as any JSON Schema tool takes them: Ajv (draft 2020-12, strict
// mode, formats) compiles every one, the example repository's records pass, and records
// that break the built-in or the repository's own rules fail.
//   node ajv_schemas.js NODE_MODULES SCHEMA_DIR EXAMPLE_REPO
'use strict';
const fs = require('fs');
const path = require('path');

const [nodeModules, schemaDir, repo] = process.argv.slice(2);
const Ajv2020 = require(path.join(nodeModules, 'ajv/dist/2020')).default;
const addFormats = require(path.join(nodeModules, 'ajv-formats')).default;
const yaml = require(path.join(nodeModules, 'js-yaml'));

let failures = 0;
const fail = (message) => { console.error(`FAIL: ${message}`); failures++; };

// Ajv's default strict mode: unknown keywords (x-brm-message) and ignored keywords are
// errors. (strict: true would also require a type beside every maximum and a property
// for every name in a conditional `required`, which JSON Schema itself does not ask.)
const ajv = new Ajv2020({ allErrors: true, strictSchema: true, strictNumbers: true });
addFormats(ajv);
const validators = {};
for (const file of fs.readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json'))) {
  const name = file.replace('.schema.json', '');
  try {
    validators[name] = ajv.compile(JSON.parse(fs.readFileSync(path.join(schemaDir, file), 'utf8')));
  } catch (e) {
    fail(`${file} does not compile in strict mode: ${e.message}`);
  }
}
for (const name of ['customer', 'agreement', 'complaint', 'meeting', 'survey', 'service', 'requirement', 'settings'])
  if (!validators[name] && !failures) fail(`no schema for ${name}`);

// YAML 1.2 core, as brm reads it: dates stay strings.
const load = (file) => yaml.load(fs.readFileSync(file, 'utf8'), { schema: yaml.CORE_SCHEMA });
let checked = 0;
const expect = (name, doc, valid, what) => {
  const ok = validators[name](doc);
  checked++;
  if (ok !== valid) fail(`${what}: expected ${valid ? 'valid' : 'invalid'}, got ${JSON.stringify(validators[name].errors)}`);
};

if (!failures) {
  expect('settings', load(path.join(repo, 'brm.yaml')), true, 'brm.yaml');
  for (const name of Object.keys(validators).filter((n) => n !== 'settings')) {
    const folder = path.join(repo, `${name}s`);
    if (!fs.existsSync(folder)) continue;
    for (const f of fs.readdirSync(folder).filter((x) => x.endsWith('.yaml')))
      expect(name, load(path.join(folder, f)), true, `${name}s/${f}`);
  }
  expect('customer', { name: 'Bo', role: 'customer', emial: 'x', extra: { cost_centre: '1234' } },
         false, 'an unknown field');
  expect('customer', { name: 'Bo', role: 'custommer' }, false, 'a wrong role');
  expect('complaint', { summary: 'x', customer: 'a', received: '03/04/2026', status: 'open' },
         false, 'a date that is not YYYY-MM-DD');
  // The example repository's own schema: a customer names a four-digit cost centre.
  expect('customer', { name: 'Bo', role: 'customer' }, false, 'a customer without its cost centre');
  expect('customer', { name: 'Bo', role: 'customer', extra: { cost_centre: '12' } }, false,
         'a cost centre of two digits');
  expect('customer', { name: 'Bo', role: 'customer', extra: { cost_centre: '1234' } }, true,
         'a customer with its cost centre');
}
if (failures) process.exit(1);
console.log(`ok: ${Object.keys(validators).length} schemas compile in strict mode, ${checked} documents as expected`);
