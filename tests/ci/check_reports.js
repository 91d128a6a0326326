// Checks `brm check` output for CI services against what they document.
//   node check_reports.js NODE_MODULES sarif FILE ROOT PREFIX
//   node check_reports.js NODE_MODULES codeclimate FILE ROOT PREFIX
// ROOT is the folder paths must be relative to, and PREFIX what each must start with.
// SARIF is validated with Ajv against the SARIF 2.1.0 JSON schema (the copy in
// @microsoft/jest-sarif); Code Quality against GitLab's documented fields.
'use strict';
const fs = require('fs');
const path = require('path');

const [nodeModules, mode, file, root, prefix] = process.argv.slice(2);
const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
let failures = 0;
const fail = (message) => { console.error(`FAIL: ${message}`); failures++; };

function checkPath(p, what) {
  if (!p.startsWith(prefix)) fail(`${what} '${p}' does not start with '${prefix}'`);
  if (!fs.existsSync(path.join(root, decodeURIComponent(p)))) fail(`${what} '${p}' is no file under ${root}`);
}

function checkSarif() {
  const AjvDraft04 = require(path.join(nodeModules, 'ajv-draft-04'));
  const schemaFile = path.join(nodeModules, '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const addFormats = require(path.join(nodeModules, 'ajv-formats')).default;
  // Not strict: the SARIF schema has keywords draft-04 Ajv does not know (it says so and
  // goes on); the formats (uri, uri-reference, date-time) are checked.
  // unicodeRegExp off: one of the schema's patterns is not valid with the u flag.
  const ajv = new AjvDraft04({ allErrors: true, strict: false, logger: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
  if (!validate(doc)) fail(`not valid SARIF 2.1.0: ${JSON.stringify(validate.errors.slice(0, 5))}`);
  if (doc.version !== '2.1.0') fail(`version ${doc.version}`);
  const run = doc.runs[0];
  const driver = run.tool.driver;
  if (driver.name !== 'brm' || !/^\d+\.\d+\.\d+/.test(driver.version) || !/^https:\/\//.test(driver.informationUri))
    fail(`driver ${JSON.stringify({ ...driver, rules: undefined })}`);
  const ids = driver.rules.map((r) => r.id);
  for (const r of driver.rules)
    if (!r.shortDescription || !r.shortDescription.text || !r.help || !r.help.text) fail(`rule ${r.id} lacks its texts`);
  if (new Set(ids).size !== ids.length) fail('rule ids repeat');
  if (run.results.length === 0) fail('no results');
  for (const r of run.results) {
    if (ids[r.ruleIndex] !== r.ruleId) fail(`result ${r.ruleId} has ruleIndex ${r.ruleIndex}`);
    if (!['error', 'warning', 'note'].includes(r.level)) fail(`level ${r.level}`);
    if (!r.message.text) fail('a result without a message');
    const loc = r.locations[0].physicalLocation;
    checkPath(loc.artifactLocation.uri, 'artifactLocation.uri');
    if (!(loc.region.startLine >= 1)) fail(`startLine ${loc.region.startLine}`);
  }
  return run.results.length;
}

function checkCodeClimate() {
  if (!Array.isArray(doc) || doc.length === 0) fail('not a non-empty array');
  const fingerprints = new Set();
  for (const issue of doc) {
    for (const key of ['description', 'check_name', 'fingerprint', 'severity'])
      if (typeof issue[key] !== 'string' || !issue[key]) fail(`${key} missing in ${JSON.stringify(issue)}`);
    if (!['info', 'minor', 'major', 'critical', 'blocker'].includes(issue.severity)) fail(`severity ${issue.severity}`);
    if (fingerprints.has(issue.fingerprint)) fail(`fingerprint ${issue.fingerprint} repeats`);
    fingerprints.add(issue.fingerprint);
    checkPath(issue.location.path, 'location.path');
    if (!Number.isInteger(issue.location.lines.begin) || issue.location.lines.begin < 1)
      fail(`lines.begin ${issue.location.lines.begin}`);
  }
  return doc.length;
}

const n = mode === 'sarif' ? checkSarif() : checkCodeClimate();
if (failures) process.exit(1);
console.log(`ok: ${mode}, ${n} findings, paths from ${prefix || 'the root'}`);
