// Bar charts drawn by uPlot (vendor/uplot, MIT), each with its numbers as a table beside it: the canvas is
// hidden from screen readers, the table is what they (and anyone who wants the exact figures) read.
// Categories are evenly spaced indexes (days, bell periods), so one day or one period is one bar of a
// bounded width, not a box filling the plot.

import uPlot from './vendor/uplot/uPlot.esm.js';
import { el, table, day } from './dom.js';

const COLORS = { all: '#9fb3c8', class: '#0b5cad' };
const HEIGHT = 240;
const MAX_WIDTH = 760;

/**
 * A bar chart of one or two series over categories. `series`: [{label, values, color}] drawn in order
 * (so a smaller series drawn last, narrower, sits inside the larger one). Returns a figure, or null when
 * every value is zero (the caller says there is nothing to draw instead).
 */
export function barChart({ title, categories, series, xLabel, yLabel, tableHeads }) {
  const total = series.reduce((s, x) => s + x.values.reduce((a, b) => a + b, 0), 0);
  if (categories.length === 0 || total === 0) return null;
  const caption = el('figcaption', {}, title);
  const plot = el('div', { class: 'plot', 'aria-hidden': 'true' });
  const rows = categories.map((c, i) => [c.full ?? c.label, ...series.map((s) => s.values[i])]);
  const numbers = el('details', { class: 'chart-data' }, el('summary', {}, 'The numbers as a table'),
    table(title, tableHeads ?? [xLabel, ...series.map((s) => s.label)], rows, { class: 'compact' }));
  const fig = el('figure', { class: 'chart', dataset: { total: String(total), bars: String(categories.length), axes: `${xLabel} | ${yLabel}` } },
    caption, plot, numbers);
  draw(plot, { categories, series, xLabel, yLabel, title });
  return fig;
}

function draw(plot, { categories, series, xLabel, yLabel, title }) {
  const n = categories.length;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  // Whole numbers only on the count axis; labels on the category axis thinned to what fits.
  const yAxis = {
    label: yLabel, labelSize: 22, size: 48, incrs: [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000, 1e6],
    values: (u, splits) => splits.map((v) => v.toLocaleString()),
  };
  const xAxis = {
    label: xLabel, labelSize: 22,
    splits: (u) => {
      const room = Math.max(1, Math.floor(u.bbox.width / devicePixelRatio / 64));
      const step = Math.max(1, Math.ceil(n / room));
      const out = [];
      for (let i = 0; i < n; i += step) out.push(i);
      return out;
    },
    values: (u, splits) => splits.map((i) => categories[i]?.label ?? ''),
    grid: { show: false },
  };
  const widths = [[0.7, 56], [0.42, 34]];
  const opts = {
    title: undefined,
    width: MAX_WIDTH,
    height: HEIGHT,
    legend: { show: true, live: false },
    cursor: { show: false },
    scales: {
      x: { time: false, range: () => [-0.5, n - 0.5] },
      y: { range: () => [0, Math.ceil(max * 1.08)] },
    },
    axes: [xAxis, yAxis],
    series: [
      { label: xLabel },
      ...series.map((s, i) => ({
        label: s.label, fill: s.color, stroke: s.color, width: 0,
        paths: uPlot.paths.bars({ size: widths[Math.min(i, widths.length - 1)], align: 0 }),
        points: { show: false },
      })),
    ],
  };
  const data = [categories.map((c, i) => i), ...series.map((s) => s.values)];
  const chart = new uPlot(opts, data, plot);
  chart.root.setAttribute('aria-label', title);
  // Follow the width of the page (and of the printed page) up to MAX_WIDTH.
  const resize = new ResizeObserver(() => {
    const w = Math.min(MAX_WIDTH, plot.clientWidth);
    if (w > 0 && Math.abs(w - chart.width) > 2) chart.setSize({ width: w, height: HEIGHT });
  });
  resize.observe(plot);
}

/**
 * Attempts per day over a range: every Monday-to-Friday of the range up to today (zero when nothing was
 * blocked) plus any weekend day with blocks. `days`: the API's [{day, attempts, instructional_attempts}].
 */
export function dayChart(range, days, title) {
  const byDay = new Map(days.map((d) => [d.day, d]));
  const keys = range.days.filter((d) => byDay.has(d) || (!isWeekend(d) && d <= range.lastIso));
  for (const d of byDay.keys()) if (!keys.includes(d) && d >= range.startIso && d < range.endIso) keys.push(d);
  keys.sort();
  const long = keys.length > 10;
  const categories = keys.map((d) => ({ label: long ? shortDay(d) : day(d), full: day(d) }));
  return barChart({
    title,
    categories,
    xLabel: `Day (${range.zone})`,
    yLabel: 'Blocked attempts',
    series: [
      { label: 'All blocked attempts', values: keys.map((d) => byDay.get(d)?.attempts ?? 0), color: COLORS.all },
      { label: 'During class', values: keys.map((d) => byDay.get(d)?.instructional_attempts ?? 0), color: COLORS.class },
    ],
    tableHeads: ['Day', 'All blocked attempts', 'During class'],
  });
}

/**
 * One day by bell period, from two heatmaps of that day (all blocks, and during class) and the day's
 * total: what fell outside every bell period is a category of its own, so the bars add up to the day.
 */
export function periodChart(allHeat, classHeat, dayTotals, title, zone) {
  const sumRow = (hm, p) => {
    const i = hm.periods.indexOf(p);
    return i < 0 ? 0 : hm.attempts[i].reduce((a, b) => a + b, 0);
  };
  const periods = allHeat.periods;
  const all = periods.map((p) => sumRow(allHeat, p));
  const inClass = periods.map((p) => sumRow(classHeat, p));
  const outsideAll = dayTotals.attempts - all.reduce((a, b) => a + b, 0);
  const outsideClass = dayTotals.instructional_attempts - inClass.reduce((a, b) => a + b, 0);
  const categories = periods.map((p) => ({ label: /^\d+$/.test(p) ? `Period ${p}` : p }));
  if (outsideAll > 0) {
    categories.push({ label: 'Outside periods' });
    all.push(outsideAll);
    inClass.push(Math.max(0, outsideClass));
  }
  return barChart({
    title,
    categories,
    xLabel: `Bell period (${zone})`,
    yLabel: 'Blocked attempts',
    series: [
      { label: 'All blocked attempts', values: all, color: COLORS.all },
      { label: 'During class', values: inClass, color: COLORS.class },
    ],
    tableHeads: ['Bell period', 'All blocked attempts', 'During class'],
  });
}

function isWeekend(isoDay) {
  const [y, m, d] = isoDay.split('-').map(Number);
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return wd === 0 || wd === 6;
}

const SHORT = new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', month: 'short', day: 'numeric' });
function shortDay(isoDay) {
  const [y, m, d] = isoDay.split('-').map(Number);
  return SHORT.format(new Date(Date.UTC(y, m - 1, d)));
}
