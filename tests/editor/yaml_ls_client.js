// Drives the real yaml-language-server over stdio, as an editor does, on a brm record
// with the schemas and the .vscode/settings.json that brm wrote. Checks that it reports
// the record's errors and completes its fields.
//   node yaml_ls_client.js NODE_MODULES REPO
// REPO holds .vscode/settings.json, the schemas it names, customers/bad.yaml (an
// unknown field 'emial' on line 3, role 'custommer' on line 2), and drafts/modeline.yaml,
// which no glob maps: its modeline alone names its schema.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');

const [nodeModules, repo] = process.argv.slice(2);
const server = spawn(process.execPath,
                     [path.join(nodeModules, 'yaml-language-server', 'bin', 'yaml-language-server'),
                      '--stdio'],
                     { stdio: ['pipe', 'pipe', 'inherit'] });

let buffer = Buffer.alloc(0);
let nextId = 1;
const pending = new Map();
const diagnostics = new Map();  // uri -> latest diagnostics
let diagnosticsWaiter = null;
let yamlSettings = null;  // what the server reads as the `yaml` section of the settings

function send(message) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
  server.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
  server.stdin.write(body);
}
function request(method, params) {
  const id = nextId++;
  send({ id, method, params });
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject, method }));
}
function notify(method, params) { send({ method, params }); }

function handle(msg) {
  if (msg.id !== undefined && pending.has(msg.id) && msg.method === undefined) {
    const p = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
    else p.resolve(msg.result);
  } else if (msg.method === 'textDocument/publishDiagnostics') {
    diagnostics.set(msg.params.uri, msg.params.diagnostics);
    if (diagnosticsWaiter) diagnosticsWaiter();
  } else if (msg.id !== undefined && msg.method) {
    // Requests from the server: it pulls its settings (workspace/configuration) as VS Code
    // gives them; others (client/registerCapability...) need only an answer.
    const result = msg.method === 'workspace/configuration'
                       ? msg.params.items.map((i) => (i.section === 'yaml' ? yamlSettings : null))
                       : null;
    send({ id: msg.id, result });
  }
}

server.stdout.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.slice(0, headerEnd).toString())[1]);
    if (buffer.length < headerEnd + 4 + length) return;
    const body = buffer.slice(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
    buffer = buffer.slice(headerEnd + 4 + length);
    handle(JSON.parse(body));
  }
});

// Resolves once `test` holds for the diagnostics of `uri`, or rejects after `ms`.
function waitForDiagnostics(uri, test, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      diagnosticsWaiter = null;
      reject(new Error(`no matching diagnostics for ${uri} within ${ms} ms; last: ` +
                       JSON.stringify(diagnostics.get(uri) || null)));
    }, ms);
    const check = () => {
      const d = diagnostics.get(uri);
      if (d && test(d)) {
        clearTimeout(timer);
        diagnosticsWaiter = null;
        resolve(d);
      }
    };
    diagnosticsWaiter = check;
    check();
  });
}

function fail(message) {
  console.error(`FAIL: ${message}`);
  server.kill();
  process.exit(1);
}

async function open(file) {
  const uri = pathToFileURL(path.join(repo, file)).href;
  const text = fs.readFileSync(path.join(repo, file), 'utf8');
  notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  return { uri, text };
}

const hasErrors = (d) => d.some((x) => /emial/.test(x.message)) &&
                         d.some((x) => /custommer|customer.*purchaser/i.test(x.message));

async function completionLabels(uri, line) {
  const result = await request('textDocument/completion',
                               { textDocument: { uri }, position: { line, character: 0 } });
  const items = Array.isArray(result) ? result : (result && result.items) || [];
  return items.map((i) => i.label);
}

async function main() {
  const settings = JSON.parse(fs.readFileSync(path.join(repo, '.vscode', 'settings.json'), 'utf8'));
  const rootUri = pathToFileURL(repo).href;
  await request('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: path.basename(repo) }],
    capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } } } },
  });
  notify('initialized', {});
  yamlSettings = { schemas: settings['yaml.schemas'], validate: true, completion: true, hover: true,
                   schemaStore: { enable: false } };
  notify('workspace/didChangeConfiguration', { settings: { yaml: yamlSettings } });

  const bad = await open('customers/bad.yaml');
  const found = await waitForDiagnostics(bad.uri, hasErrors, 30000);
  const unknown = found.find((x) => /emial/.test(x.message));
  const wrongEnum = found.find((x) => /custommer|customer.*purchaser/i.test(x.message));
  if (unknown.range.start.line !== 2) fail(`the unknown field is reported on line ${unknown.range.start.line + 1}`);
  if (wrongEnum.range.start.line !== 1) fail(`the wrong role is reported on line ${wrongEnum.range.start.line + 1}`);
  console.log(`diagnostics: ${found.map((x) => `${x.range.start.line + 1}: ${x.message}`).join(' | ')}`);

  // A new key at the end of the record: the schema's fields are offered.
  const lastLine = bad.text.split('\n').length - 1;
  const labels = await completionLabels(bad.uri, lastLine);
  for (const want of ['it_contact', 'unit', 'budget', 'extra'])
    if (!labels.includes(want)) fail(`completion lacks '${want}': ${JSON.stringify(labels)}`);
  if (labels.some((l) => /x-brm/.test(l))) fail(`completion offers brm's own keywords: ${labels}`);
  console.log(`completion: ${labels.length} items, e.g. ${labels.slice(0, 6).join(', ')}`);

  // The modeline alone ties a file to its schema.
  const modeline = await open('drafts/modeline.yaml');
  await waitForDiagnostics(modeline.uri, (d) => d.some((x) => /emial/.test(x.message)), 30000);
  console.log('modeline: the schema it names is used');

  await request('shutdown', null);
  notify('exit', null);
  setTimeout(() => process.exit(0), 200);
}

main().catch((e) => fail(e.stack || String(e)));
