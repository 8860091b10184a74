// Runs kinerja_skm.gs under Node with stand-ins for the Apps Script services it uses.
// Usage: node apps_script_harness.js kinerja_skm.gs scenario.json  -> JSON on stdout.
'use strict';
const fs = require('fs');
const vm = require('vm');
const crypto = require('crypto');

const [gsPath, scenarioPath] = process.argv.slice(2);
const scenario = JSON.parse(fs.readFileSync(scenarioPath, 'utf8'));
const calls = [];
const sleeps = [];
const logs = [];
const codes = (scenario.codes || []).slice();

const UrlFetchApp = {
  fetch(url, options) {
    calls.push({url, options: JSON.parse(JSON.stringify(options))});
    const code = codes.shift();
    if (code === 'throw') throw new Error('Address unavailable: ' + url);
    return {getResponseCode: () => code, getContentText: () => '{"code": "stand-in"}'};
  }
};
const Utilities = {
  Charset: {UTF_8: 'UTF-8', US_ASCII: 'US-ASCII'},
  // Apps Script returns Java bytes: signed, -128..127.
  computeHmacSha256Signature(value, key, charset) {
    if (charset !== 'UTF-8') throw new Error('expected UTF-8');
    const digest = crypto.createHmac('sha256', Buffer.from(key, 'utf8')).update(Buffer.from(value, 'utf8')).digest();
    return Array.from(digest, (b) => (b > 127 ? b - 256 : b));
  },
  sleep(ms) { sleeps.push(ms); }
};
const PropertiesService = {
  getScriptProperties: () => ({getProperty: (key) => (key in scenario.properties ? scenario.properties[key] : null)})
};
const Logger = {log: (message) => logs.push(String(message))};

const r = scenario.response;
const response = {
  getId: () => r.id,
  getTimestamp: () => new Date(r.timestamp),
  getItemResponses: () => r.items.map(([title, value]) => ({getItem: () => ({getTitle: () => title}),
                                                            getResponse: () => value}))
};
const form = {
  getId: () => 'EDIT-ID-OF-THE-FORM',
  getPublishedUrl: () => scenario.publishedUrl,
  getResponses: () => [response],
  getItems: () => []
};
const FormApp = {getActiveForm: () => form};

const context = vm.createContext({UrlFetchApp, Utilities, PropertiesService, Logger, FormApp, console});
vm.runInContext(fs.readFileSync(gsPath, 'utf8'), context, {filename: 'kinerja_skm.gs'});
let result = null;
let error = null;
try {
  result = scenario.call === 'onFormSubmit' ? context.onFormSubmit({source: form, response}) : context[scenario.call]();
} catch (err) {
  error = String(err && err.message ? err.message : err);
}
process.stdout.write(JSON.stringify({
  calls, sleeps, logs, result, error,
  fields: context.KINERJA_FIELDS, profile: context.KINERJA_PROFILE
}));
