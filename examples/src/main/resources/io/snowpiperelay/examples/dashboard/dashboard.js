// The ski-resort dashboard: polls /api/relay and /api/report and draws them with Chart.js (served from the jar).
'use strict';

const RELAY_EVERY_MS = 2000;
const REPORT_EVERY_MS = 3000;
const TABLES = ['RESORT_TICKET', 'SEASON_PASS', 'LIFT_RIDE'];
const TABLE_COLORS = { RESORT_TICKET: '#1f6feb', SEASON_PASS: '#8250df', LIFT_RIDE: '#2da44e' };
const PALETTE = ['#1f6feb', '#2da44e', '#bf8700', '#cf222e', '#8250df', '#0598bc', '#e16f24', '#6e7781'];
// One colour per resort on every chart (the generator's resorts; any other gets a colour from the palette).
const RESORT_COLORS = { 'Vail': '#1f6feb', 'Beaver Creek': '#2da44e', 'Breckenridge': '#bf8700', 'Keystone': '#cf222e',
  'Heavenly': '#8250df' };
const RESORT_COLUMNS_SKIPPED = new Set(['RIDE_DATE', 'HOUR_UTC', 'TOTAL_RIDES', 'VISITORS']);

Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
Chart.defaults.plugins.legend.labels.boxWidth = 12;

const fmt = new Intl.NumberFormat('en-US');
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const $ = id => document.getElementById(id);
let landedByTable = {};
let generatedByTable = {}; // from the report: the outbox's counts when no relay runs here
let lastRelay = null;

function chart(id, type, options) {
  return new Chart($(id), { type, data: { labels: [], datasets: [] }, options: options || {} });
}

// Over time: seconds since the start on x, unrotated, as many as fit.
const TIME_AXIS = { ticks: { maxRotation: 0, autoSkipPadding: 16 } };
// Lift names can be long: cut the axis label, the tooltip keeps the whole name.
const LIFT_AXIS = { ticks: { callback(value) {
  const text = this.getLabelForValue(value);
  return text.length > 34 ? text.slice(0, 33) + '…' : text;
} } };

const charts = {
  rate: chart('chart-rate', 'line', { scales: { x: TIME_AXIS, y: { beginAtZero: true } },
    elements: { point: { radius: 0 } } }),
  lag: chart('chart-lag', 'line', { scales: { x: TIME_AXIS, y: { beginAtZero: true } },
    elements: { point: { radius: 0 } } }),
  revenue: chart('chart-revenue', 'bar', { scales: { y: { beginAtZero: true } } }),
  hourly: chart('chart-hourly', 'bar', { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }),
  lifts: chart('chart-lifts', 'bar', { indexAxis: 'y', scales: { y: LIFT_AXIS },
    plugins: { legend: { display: false } } }),
  mix: chart('chart-mix', 'doughnut', { plugins: { legend: { position: 'bottom' } } }),
};
window.dashboardCharts = charts; // for tests and the curious: the charts' data is what the page shows

function resortColor(resort, i) { return RESORT_COLORS[resort] || PALETTE[i % PALETTE.length]; }

function label(name) {
  return name.split('_').map(w => w.charAt(0) + w.slice(1).toLowerCase()).join(' ');
}

function setData(c, labels, datasets) {
  c.data.labels = labels;
  c.data.datasets = datasets;
  c.update();
}

function cell(tr, table, field, text, cls) {
  const td = document.createElement('td');
  if (table) { td.dataset.table = table; td.dataset.field = field; }
  td.textContent = text;
  if (cls) td.className = cls;
  tr.appendChild(td);
  return td;
}

function num(v) { return v === null || v === undefined || v < 0 ? '–' : fmt.format(v); }

// Where the rows of a table that did not land are: dead letters, rejected by the service, still in the outbox.
function shortfall(table, generated, landed, r, inOutbox) {
  const missing = generated - landed;
  const parts = [];
  let explained = 0;
  const add = (n, text) => { if (n > 0) { parts.push(fmt.format(n) + ' ' + text); explained += n; } };
  add(r.deadLetters, 'dead-lettered (the outbox\'s dead_letter table)');
  add(r.rejected, 'rejected by the service (the channels\' rows_error_count)');
  add(inOutbox, 'still in the outbox (not relayed or not committed yet)');
  if (missing > explained) parts.push(fmt.format(missing - explained) + ' not accounted for'
      + (r.deadLetters === null || r.deadLetters === undefined ? ' (give --outbox to count dead letters and the'
        + ' rows still in it)' : ''));
  return table + ': ' + fmt.format(missing) + ' of ' + fmt.format(generated) + ' rows have not landed: '
      + parts.join(', ') + '.';
}

// Columns that only a relay running in this process (or reading Snowflake) can know. Without one they are left
// out rather than shown as 0; 'In outbox' comes from the report when the outbox was given.
const RELAY_ONLY = ['appended', 'committed', 'rowsPerSecond', 'commitLag'];
let reportByTable = {};

function renderCounts() {
  const body = $('relay-counts').tBodies[0];
  const foot = $('relay-counts').tFoot;
  body.replaceChildren();
  foot.replaceChildren();
  const live = !!(lastRelay && lastRelay.live);
  const byTable = {};
  (live && lastRelay.tables || []).forEach(t => { byTable[t.table] = t; });
  const outboxKnown = live ? TABLES.some(table => byTable[table] && byTable[table].inOutbox >= 0)
      : TABLES.some(table => reportByTable[table] && reportByTable[table].inOutbox !== null
          && reportByTable[table].inOutbox !== undefined);
  const generatedKnown = TABLES.some(table => {
    const g = byTable[table] ? byTable[table].generated : generatedByTable[table];
    return g !== null && g !== undefined && g >= 0;
  });
  const shown = field => (live || !RELAY_ONLY.includes(field)) && (field !== 'inOutbox' || outboxKnown)
      && (field !== 'generated' || generatedKnown);
  // While a relay runs here, rows not landed yet are on their way: a shortfall means something once it is over.
  const settled = !live || lastRelay.phase === 'done' || lastRelay.phase === 'failed';
  document.querySelectorAll('#relay-counts th[data-field]').forEach(th => { th.hidden = !shown(th.dataset.field); });
  ['card-rate', 'card-lag'].forEach(id => { if ($(id)) $(id).hidden = !live; });
  const total = { generated: 0, appended: 0, committed: 0, inOutbox: 0, landed: 0, rate: 0 };
  const shortfalls = [];
  TABLES.forEach(table => {
    const t = byTable[table];
    const r = reportByTable[table] || {};
    const landed = landedByTable[table];
    const tr = document.createElement('tr');
    const name = cell(tr, null, null, '');
    name.innerHTML = '<span class="swatch" style="background:' + TABLE_COLORS[table] + '"></span>' + table;
    const generated = t ? t.generated : generatedByTable[table];
    const inOutbox = t ? t.inOutbox : r.inOutbox;
    if (shown('generated')) cell(tr, table, 'generated', num(generated));
    if (shown('appended')) cell(tr, table, 'appended', t ? num(t.appended) : '–');
    if (shown('committed')) cell(tr, table, 'committed', t ? num(t.committed) : '–');
    if (shown('inOutbox')) cell(tr, table, 'inOutbox', num(inOutbox));
    const landedOk = landed !== undefined && generated === landed && (!t || landed === t.committed);
    cell(tr, table, 'landed', landed === undefined ? '–' : num(landed) + (landedOk ? ' ✓' : ''),
        landedOk ? 'ok' : '');
    if (shown('rowsPerSecond')) cell(tr, table, 'rowsPerSecond', t ? fmt.format(Math.round(t.rowsPerSecond)) : '–');
    if (shown('commitLag')) cell(tr, table, 'commitLag', t ? t.commitLagSeconds.toFixed(1) + ' s' : '–');
    body.appendChild(tr);
    total.generated += Math.max(0, generated || 0);
    if (t) { total.appended += t.appended; total.committed += t.committed; total.rate += t.rowsPerSecond; }
    total.inOutbox += Math.max(0, inOutbox || 0);
    total.landed += landed || 0;
    if (settled && landed !== undefined && generated > landed) shortfalls.push(shortfall(table, generated, landed, r, inOutbox));
  });
  const tr = document.createElement('tr');
  cell(tr, null, null, 'All tables');
  if (shown('generated')) cell(tr, 'ALL', 'generated', fmt.format(total.generated));
  if (shown('appended')) cell(tr, 'ALL', 'appended', fmt.format(total.appended));
  if (shown('committed')) cell(tr, 'ALL', 'committed', fmt.format(total.committed));
  if (shown('inOutbox')) cell(tr, 'ALL', 'inOutbox', fmt.format(total.inOutbox));
  cell(tr, 'ALL', 'landed', fmt.format(total.landed));
  if (shown('rowsPerSecond')) cell(tr, 'ALL', 'rowsPerSecond', fmt.format(Math.round(total.rate)));
  if (shown('commitLag')) cell(tr, null, null, '');
  foot.appendChild(tr);
  const note = $('shortfall');
  note.hidden = shortfalls.length === 0;
  note.replaceChildren(...shortfalls.map(text => { const li = document.createElement('li'); li.textContent = text;
    return li; }));

  const target = lastRelay && lastRelay.targetRows > 0 ? lastRelay.targetRows : Math.max(1, total.generated);
  const fraction = Math.min(1, total.committed / target);
  $('progress-bar').parentElement.hidden = !live; // committed is unknown without a relay
  $('progress-bar').style.width = (fraction * 100).toFixed(1) + '%';
  $('progress-bar').className = fraction >= 1 ? 'done' : '';
  $('progress-text').textContent = lastRelay && lastRelay.live
      ? fmt.format(total.committed) + ' of ' + fmt.format(target) + ' events committed (' + (fraction * 100).toFixed(1)
        + ' %), ' + Math.round(lastRelay.elapsedSeconds) + ' s since start'
      : '';
}

// The relay --fleet members' leases (absent without a fleet): one row per stream and partition.
function renderFleet(fleet) {
  const card = $('card-fleet');
  card.hidden = !fleet;
  if (!fleet) return;
  const note = $('fleet-note');
  note.hidden = !fleet.note;
  note.textContent = fleet.note || '';
  const body = $('fleet').querySelector('tbody');
  body.replaceChildren();
  for (const p of fleet.partitions) {
    const tr = document.createElement('tr');
    tr.dataset.stream = p.stream;
    tr.dataset.partition = p.partition;
    tr.dataset.state = p.state;
    cell(tr, null, null, p.stream);
    cell(tr, null, null, String(p.partition));
    cell(tr, null, null, p.owner || '–', 'owner');
    cell(tr, null, null, p.state === 'unowned' ? '–' : String(p.epoch));
    cell(tr, null, null, p.state === 'owned' ? p.expiresInSeconds + ' s' : p.state, 'expiry');
    body.appendChild(tr);
  }
}

function renderRelay(relay) {
  lastRelay = relay;
  renderFleet(relay.fleet);
  const phase = $('phase');
  phase.textContent = relay.live ? relay.phase : 'not running here';
  phase.className = 'chip ' + (relay.live ? relay.phase : '');
  document.body.dataset.relayPhase = relay.live ? relay.phase : 'none';
  const note = $('relay-note');
  note.hidden = !relay.note;
  note.textContent = relay.note || '';
  renderCounts();
  if (!relay.live) return;
  const h = relay.history;
  const start = h.epochMillis.length ? h.epochMillis[0] : 0;
  const times = h.epochMillis.map(t => Math.round((t - start) / 1000) + ' s');
  const series = key => TABLES.map(table => ({
    label: table, data: h[key][table], borderColor: TABLE_COLORS[table], backgroundColor: TABLE_COLORS[table],
    borderWidth: 2, tension: 0.25,
  }));
  setData(charts.rate, times, series('rowsPerSecond'));
  setData(charts.lag, times, series('commitLagSeconds'));
}

function renderReport(report) {
  const note = $('report-note');
  note.hidden = !report.note;
  note.textContent = report.note || '';
  if (report.updatedAt) document.body.dataset.reportUpdated = report.updatedAt;
  $('world-time').textContent = report.worldTime ? report.worldTime.replace('T', ' ').slice(0, 19) : '–';
  landedByTable = {};
  generatedByTable = {};
  reportByTable = {};
  (report.tables || []).forEach(t => {
    landedByTable[t.table] = t.landed;
    reportByTable[t.table] = t;
    if (t.generated !== null) generatedByTable[t.table] = t.generated;
  });
  renderCounts();
  const s = report.sections || {};

  if (s.dailyRevenue) {
    const rows = s.dailyRevenue.rows;
    const dates = [...new Set(rows.map(r => r.RIDE_DATE))];
    const resorts = [...new Set(rows.map(r => r.RESORT))].sort();
    setData(charts.revenue, dates, resorts.map((resort, i) => ({
      label: resort, backgroundColor: resortColor(resort, i),
      data: dates.map(d => { const r = rows.find(x => x.RIDE_DATE === d && x.RESORT === resort);
        return r ? r.TOTAL_REVENUE_USD : 0; }),
    })));
  }
  if (s.hourlyRides) {
    const rows = s.hourlyRides.rows;
    const resorts = rows.length ? Object.keys(rows[0]).filter(k => !RESORT_COLUMNS_SKIPPED.has(k)) : [];
    if (rows.length) $('hourly-title').textContent = 'Lift rides per resort per hour (UTC), ' + rows[0].RIDE_DATE;
    setData(charts.hourly, rows.map(r => r.HOUR_UTC), resorts.map((resort, i) => ({
      label: label(resort), backgroundColor: resortColor(label(resort), i), data: rows.map(r => r[resort]),
    })));
  }
  if (s.busiestLifts) {
    const rows = s.busiestLifts.rows;
    setData(charts.lifts, rows.map(r => r.LIFT + ' (' + r.RESORT + ')'), [{
      label: 'Rides', backgroundColor: rows.map((r, i) => resortColor(r.RESORT, i)), data: rows.map(r => r.RIDES),
    }]);
  }
  if (s.ticketVsPass) {
    const rows = s.ticketVsPass.rows;
    setData(charts.mix, rows.map(r => r.PRODUCT), [{
      label: 'Sales (USD)', backgroundColor: rows.map((r, i) => ['#1f6feb', '#8250df'][i % 2]),
      data: rows.map(r => r.SALES_USD),
    }]);
    const body = $('mix').tBodies[0];
    body.replaceChildren();
    rows.forEach(r => {
      const tr = document.createElement('tr');
      cell(tr, null, null, r.PRODUCT);
      cell(tr, r.PRODUCT, 'unitsSold', fmt.format(r.UNITS_SOLD));
      cell(tr, r.PRODUCT, 'salesUsd', usd.format(r.SALES_USD));
      cell(tr, r.PRODUCT, 'rides', fmt.format(r.RIDES));
      cell(tr, r.PRODUCT, 'rideShare', r.RIDE_SHARE_PCT === null ? '–' : r.RIDE_SHARE_PCT + ' %');
      body.appendChild(tr);
    });
  }
}

async function poll(url, render, everyMs) {
  try {
    const response = await fetch(url, { cache: 'no-store' });
    if (response.ok) {
      render(await response.json());
      $('updated').textContent = new Date().toLocaleTimeString('en-GB');
    }
  } catch (e) {
    $('phase').textContent = 'disconnected';
    $('phase').className = 'chip failed';
  }
  setTimeout(() => poll(url, render, everyMs), everyMs);
}

poll('api/relay', renderRelay, RELAY_EVERY_MS);
poll('api/report', renderReport, REPORT_EVERY_MS);
