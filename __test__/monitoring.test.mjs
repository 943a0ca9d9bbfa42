// docs/monitoring: the Grafana dashboard and the Prometheus alert rules
// refer only to metrics a running `somon serve` really exports (scraped from
// its /metrics), with label names those metrics carry, and monitoring.md
// explains every metric family the service exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliPath, root, scratch } from './helpers.mjs';

const docs = path.join(root, 'docs');

function get(port, pathname) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: pathname, headers: { Host: `127.0.0.1:${port}` } },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * Starts `somon serve` on a project whose first build fails (so
 * `somon_errors_total{code}` has a series), fixes it, and returns what
 * /metrics exports: family names with their types, and every sample.
 */
async function scrapeRunningService() {
  const dir = scratch({
    'src/main.som': 'ворид { ду } аз "./либ";\nчоп.сабт(ду);\nтағ = ;\n',
    'src/либ.som': 'содир собит ду = 2;\n',
  });
  const child = spawn(
    process.execPath,
    [cliPath, 'serve', 'src/main.som', '-o', 'dist/app.js', '--management-port', '0', '--log-format', 'json'],
    { cwd: dir, env: { ...process.env, NO_COLOR: '1', LANG: 'C.UTF-8' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const logs = [];
  let pending = '';
  child.stderr.on('data', (d) => {
    pending += d;
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      try {
        logs.push(JSON.parse(line));
      } catch {
        // not a log record
      }
    }
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const waitFor = async (pred, what) => {
    const end = Date.now() + 20000;
    while (Date.now() < end) {
      const hit = logs.find(pred);
      if (hit) return hit;
      if (child.exitCode !== null) break;
      await sleep(20);
    }
    assert.fail(`timed out waiting for ${what}: ${JSON.stringify(logs)}`);
  };
  try {
    const listening = await waitFor((l) => l.message === 'management endpoint listening', 'the endpoint');
    const port = Number(listening.fields.address.split(':').pop());
    await waitFor((l) => l.message === 'build failed', 'the failing build');
    fs.writeFileSync(path.join(dir, 'src/main.som'), 'ворид { ду } аз "./либ";\nчоп.сабт(ду);\n');
    await waitFor((l) => l.message === 'build succeeded', 'the fixed build');
    await get(port, '/health');
    await get(port, '/ready');
    const res = await get(port, '/metrics');
    assert.equal(res.status, 200);
    return parseExposition(res.body);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

function parseExposition(text) {
  const types = new Map();
  const samples = [];
  for (const line of text.split('\n')) {
    let m;
    if ((m = /^# TYPE (\S+) (\S+)$/.exec(line))) types.set(m[1], m[2]);
    else if ((m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? \S+$/.exec(line))) {
      const labels = [...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"/g)].map((l) => l[1]);
      samples.push({ name: m[1], labels });
    }
  }
  return { types, samples };
}

/** Series names a family contributes: a histogram's _bucket, _sum, _count. */
function seriesNames(types) {
  const names = new Set();
  for (const [family, type] of types) {
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(family + s);
    else names.add(family);
  }
  return names;
}

/**
 * Label names each metric may carry. Families that had no series in the
 * scrape (per-source breaker states appear only once a source has a
 * breaker) take theirs from the renderer, crates/somon_service/src/metrics.rs.
 */
function labelNames(samples) {
  const byName = new Map();
  for (const s of samples) {
    const set = byName.get(s.name) ?? new Set();
    for (const l of s.labels) set.add(l);
    byName.set(s.name, set);
  }
  const rust = fs.readFileSync(path.join(root, 'crates/somon_service/src/metrics.rs'), 'utf8');
  for (const m of rust.matchAll(/"(somon_[a-z_]+)\{\{(.*?)\}\}/g)) {
    const set = byName.get(m[1]) ?? new Set();
    for (const l of m[2].matchAll(/([a-z_]+)=\\"/g)) set.add(l[1]);
    byName.set(m[1], set);
  }
  return byName;
}

const PROMQL_WORDS = new Set([
  'sum', 'min', 'max', 'avg', 'count', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right',
  'and', 'or', 'unless', 'offset', 'bool', 'rate', 'irate', 'increase', 'resets', 'changes', 'delta',
  'histogram_quantile', 'clamp_min', 'clamp_max', 'label_values', 'abs', 'topk', 'bottomk',
  'count_over_time', 'max_over_time', 'min_over_time', 'avg_over_time', 'absent', 'vector', 'scalar', 'time',
]);
/** Labels Prometheus itself attaches at scrape time, and `le` of histograms. */
const TARGET_LABELS = new Set(['instance', 'job', 'le']);

/**
 * Checks one PromQL expression: every metric it selects is exported, every
 * label it matches or groups by is one the metric (or the scrape) carries.
 * Returns the metric names it selects.
 */
function checkExpression(expr, exported, labels, where) {
  // Strip strings (label values, Grafana legends) and durations first.
  const bare = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\[[0-9a-z:]+\]/g, '');
  const metrics = [];
  for (const m of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = m[0];
    if (PROMQL_WORDS.has(word) || /^[0-9]/.test(word)) continue;
    const after = bare.slice(m.index + word.length);
    const before = bare.slice(0, m.index);
    // A label name: inside braces or a by/on/without/ignoring list.
    if (/^\s*(=~|!~|!=|=)/.test(after) && /\{[^}]*$/.test(before)) continue;
    if (/\b(by|on|without|ignoring)\s*\([^)]*$/.test(before)) {
      continue;
    }
    if (/[0-9.]$/.test(before)) continue; // the exponent of 1e-9
    assert.ok(word.startsWith('somon_'), `${where}: ${word} is not a SomonScript metric (${expr})`);
    assert.ok(exported.has(word), `${where}: ${word} is not exported by the service (${expr})`);
    metrics.push(word);
  }
  assert.ok(metrics.length > 0, `${where}: selects no metric (${expr})`);
  const allowed = new Set(TARGET_LABELS);
  for (const name of metrics) for (const l of labels.get(name) ?? []) allowed.add(l);
  for (const m of bare.matchAll(/\{([^}]*)\}/g)) {
    for (const l of m[1].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)) {
      assert.ok(allowed.has(l[1]), `${where}: label ${l[1]} is not carried by ${metrics.join(', ')} (${expr})`);
    }
  }
  for (const m of bare.matchAll(/\b(?:by|on|without|ignoring)\s*\(([^)]*)\)/g)) {
    for (const l of m[1].split(',').map((s) => s.trim()).filter(Boolean)) {
      assert.ok(allowed.has(l), `${where}: grouping label ${l} is not carried by ${metrics.join(', ')} (${expr})`);
    }
  }
  return metrics;
}

/**
 * Reads the rule groups of docs/monitoring/alerts.yml. The file is plain
 * block YAML (no anchors, no flow collections): a line reader checks its
 * structure, and `promtool check rules` (CI, where installed) checks it
 * as Prometheus does.
 */
function readAlertRules(text) {
  const rules = [];
  const lines = text.split('\n');
  let rule = null;
  let section = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(#|$)/.test(line)) continue;
    let m;
    if ((m = /^      - alert: (\S+)$/.exec(line))) {
      rule = { alert: m[1], labels: {}, annotations: {} };
      rules.push(rule);
      section = null;
    } else if ((m = /^        expr: (.*)$/.exec(line)) && rule) {
      if (m[1] === '>' || m[1] === '|') {
        const body = [];
        while (i + 1 < lines.length && /^ {10}/.test(lines[i + 1])) body.push(lines[++i].trim());
        rule.expr = body.join(m[1] === '>' ? ' ' : '\n');
      } else rule.expr = m[1];
    } else if ((m = /^        (for): (\S+)$/.exec(line)) && rule) {
      assert.match(m[2], /^[0-9]+[smhd]$/, `${rule.alert}: for: ${m[2]}`);
      rule.for = m[2];
    } else if ((m = /^        (labels|annotations):$/.exec(line)) && rule) {
      section = m[1];
    } else if ((m = /^          ([a-z_]+): (.*)$/.exec(line)) && rule && section) {
      rule[section][m[1]] = m[2].replace(/^"(.*)"$/, '$1');
    } else if (!/^(groups:|  - name: \S+|    rules:)$/.test(line)) {
      assert.fail(`alerts.yml line ${i + 1} is not part of a rule: ${line}`);
    }
  }
  return rules;
}

test('dashboard and alert rules use only metrics and labels the running service exports; monitoring.md explains every family', async (t) => {
  const { types, samples } = await scrapeRunningService();
  assert.ok(types.size >= 15, `families scraped: ${[...types.keys()]}`);
  const exported = seriesNames(types);
  for (const s of samples) assert.ok(exported.has(s.name), `sample ${s.name} belongs to a declared family`);
  const labels = labelNames(samples);

  // Grafana: the JSON parses; every target, and the instance variable's query, checks out.
  const dashboard = JSON.parse(fs.readFileSync(path.join(docs, 'monitoring/grafana-dashboard.json'), 'utf8'));
  assert.ok(Array.isArray(dashboard.panels) && dashboard.panels.length > 0);
  const used = new Set();
  const ids = new Set();
  for (const panel of dashboard.panels) {
    assert.ok(!ids.has(panel.id), `panel id ${panel.id} is unique`);
    ids.add(panel.id);
    assert.ok(panel.title && panel.gridPos, `panel ${panel.id} has a title and a position`);
    assert.ok(panel.targets.length > 0, `panel ${panel.title} has targets`);
    for (const target of panel.targets) {
      const expr = target.expr.replaceAll('$instance', '.*');
      for (const m of checkExpression(expr, exported, labels, `dashboard "${panel.title}"`)) used.add(m);
    }
  }
  for (const v of dashboard.templating.list.filter((v) => v.type === 'query')) {
    const q = /^label_values\((\w+), (\w+)\)$/.exec(v.query.query);
    assert.ok(q && exported.has(q[1]), `variable ${v.name}: ${v.query.query}`);
  }

  // Alert rules: structure, expressions, and each one documented.
  const rulesText = fs.readFileSync(path.join(docs, 'monitoring/alerts.yml'), 'utf8');
  const rules = readAlertRules(rulesText);
  assert.ok(rules.length >= 5, `${rules.length} rules`);
  const monitoringMd = fs.readFileSync(path.join(docs, 'monitoring.md'), 'utf8');
  for (const rule of rules) {
    assert.ok(rule.expr, `${rule.alert} has an expr`);
    assert.ok(['info', 'warning', 'critical'].includes(rule.labels.severity), `${rule.alert} severity`);
    assert.ok(rule.annotations.summary && rule.annotations.description, `${rule.alert} annotations`);
    for (const m of checkExpression(rule.expr, exported, labels, `alert ${rule.alert}`)) used.add(m);
    assert.ok(monitoringMd.includes(`\`${rule.alert}\``), `monitoring.md explains ${rule.alert}`);
  }

  // Every family the service exports is explained in monitoring.md.
  for (const family of types.keys()) {
    assert.ok(monitoringMd.includes(`\`${family}`), `monitoring.md explains ${family}`);
  }
  // And monitoring.md names no metric the service does not export.
  for (const m of monitoringMd.matchAll(/somon_[a-z_]+/g)) {
    assert.ok(exported.has(m[0]) || types.has(m[0]), `monitoring.md names ${m[0]}, which is not exported`);
  }

  const promtool = spawnSync('promtool', ['check', 'rules', path.join(docs, 'monitoring/alerts.yml')], { encoding: 'utf8' });
  if (promtool.error) {
    t.diagnostic('promtool is not installed: alerts.yml checked by the line reader only');
  } else {
    assert.equal(promtool.status, 0, promtool.stdout + promtool.stderr);
  }
});
