// The latency chart: one panel per operation, the empirical CDF of each client's call times on a
// log-scale time axis, p50 and p95 marked. Plain SVG text, no dependencies.

const COLORS = { ours: '#d1495b', theirs: '#00798c', raw: '#6c757d' };
const LABELS = { ours: 'surrealauth (ours)', theirs: 'surrealdb.js v2', raw: 'raw WebSocket (floor)' };
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));

function ticks(lo, hi) {
  for (const mantissas of [[1, 2, 5], [1, 2, 3, 4, 5, 6, 8]]) {
    const out = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of mantissas) {
        const v = +(m * 10 ** e).toPrecision(6);
        if (v >= lo && v <= hi) out.push(v);
      }
    }
    if (out.length >= 3 || mantissas.length > 3) return out;
  }
  return [];
}

/**
 * panels: [{title, series: {ours: [ms…], theirs: [...], raw: [...]}}]. Returns the SVG document.
 */
export function latencyChart(panels, { title = '', note = '' } = {}) {
  const pw = 380;
  const ph = 260;
  const m = { l: 52, r: 14, t: 30, b: 40 };
  const width = panels.length * pw + 20;
  const height = ph + 110;
  const parts = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="11">`);
  parts.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  parts.push(`<text x="10" y="20" font-size="14" font-weight="600">${esc(title)}</text>`);
  panels.forEach((panel, i) => {
    const x0 = 10 + i * pw + m.l;
    const y0 = 40 + m.t;
    const w = pw - m.l - m.r;
    const h = ph - m.t - m.b;
    const all = Object.values(panel.series).flat().filter((v) => v > 0);
    if (!all.length) return;
    const lo = Math.min(...all) * 0.9;
    const hi = Math.max(...all) * 1.1;
    const lx = (v) => x0 + ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * w;
    const ly = (q) => y0 + h - q * h;
    parts.push(`<text x="${x0}" y="${y0 - 12}" font-size="12" font-weight="600">${esc(panel.title)}</text>`);
    parts.push(`<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="none" stroke="#ccc"/>`);
    for (const q of [0, 0.25, 0.5, 0.75, 0.95]) {
      const marked = q === 0.5 || q === 0.95;
      parts.push(`<line x1="${x0}" x2="${x0 + w}" y1="${ly(q)}" y2="${ly(q)}" stroke="${marked ? '#bbb' : '#eee'}"${marked ? ' stroke-dasharray="3 3"' : ''}/>`);
      parts.push(`<text x="${x0 - 6}" y="${ly(q) + 4}" text-anchor="end" fill="#555">${q === 0.95 ? 'p95' : q === 0.5 ? 'p50' : `${q * 100}%`}</text>`);
    }
    for (const t of ticks(lo, hi)) {
      parts.push(`<line x1="${lx(t)}" x2="${lx(t)}" y1="${y0}" y2="${y0 + h}" stroke="#f0f0f0"/>`);
      parts.push(`<text x="${lx(t)}" y="${y0 + h + 14}" text-anchor="middle" fill="#555">${t}</text>`);
    }
    parts.push(`<text x="${x0 + w / 2}" y="${y0 + h + 30}" text-anchor="middle" fill="#333">ms per call (log scale)</text>`);
    for (const [name, values] of Object.entries(panel.series)) {
      const s = values.filter((v) => v > 0).sort((a, b) => a - b);
      if (!s.length) continue;
      const pts = [];
      s.forEach((v, k) => {
        pts.push(`${lx(v).toFixed(1)},${ly(k / s.length).toFixed(1)}`);
        pts.push(`${lx(v).toFixed(1)},${ly((k + 1) / s.length).toFixed(1)}`);
      });
      parts.push(`<polyline fill="none" stroke="${COLORS[name] ?? '#000'}" stroke-width="1.6" points="${pts.join(' ')}"/>`);
    }
    // Legend with the p50/p95 of each series.
    let ly0 = y0 + h + 48;
    for (const [name, values] of Object.entries(panel.series)) {
      const s = values.filter((v) => v > 0).sort((a, b) => a - b);
      if (!s.length) continue;
      const p50 = s[Math.ceil(0.5 * s.length) - 1];
      const p95 = s[Math.ceil(0.95 * s.length) - 1];
      parts.push(`<line x1="${x0}" x2="${x0 + 18}" y1="${ly0 - 4}" y2="${ly0 - 4}" stroke="${COLORS[name] ?? '#000'}" stroke-width="3"/>`);
      parts.push(`<text x="${x0 + 24}" y="${ly0}">${esc(LABELS[name] ?? name)}: p50 ${fmt(p50)}, p95 ${fmt(p95)} ms (n=${s.length})</text>`);
      ly0 += 15;
    }
  });
  if (note) parts.push(`<text x="10" y="${height - 6}" fill="#777">${esc(note)}</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
