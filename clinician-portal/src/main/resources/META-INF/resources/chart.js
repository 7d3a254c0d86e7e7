// ClinLoop blood-pressure trend chart, drawn as inline SVG (no library). A pure function of its
// input: the same readings, bands and markers always give the same picture. Every text is set with
// textContent. Geometry is published on the <svg> (data-*) so tests can check where things are.
'use strict';

const BloodPressureChart = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  const W = 760; const H = 340;
  const M = { left: 52, right: 20, top: 18, bottom: 40 };
  const DAY = 86400000;

  function node(tag, attrs = {}, text) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  }
  const r1 = (v) => Math.round(v * 10) / 10;

  /**
   * input: { from: ms, to: ms, readings: [{at: ms, systolic, diastolic}], goal: {systolic, diastolic},
   *          floor: number|null (the active bounds' systolic floor), crisis: {systolic, diastolic},
   *          doses: [{at: ms, label}], alerts: [{at: ms, label, severity}] }
   * Readings, doses and alerts outside [from, to] are left out.
   */
  function draw(input) {
    const { from, to, goal, floor, crisis } = input;
    const inside = (t) => t >= from && t <= to;
    const readings = input.readings.filter((r) => inside(r.at)).sort((a, b) => a.at - b.at);
    const doses = input.doses.filter((d) => inside(d.at));
    const alerts = input.alerts.filter((a) => inside(a.at));
    const values = readings.flatMap((r) => [r.systolic, r.diastolic]);
    const yMin = Math.min(40, Math.floor((Math.min(...values, 200) - 10) / 10) * 10);
    const yMax = Math.max(crisis.systolic + 20, Math.ceil((Math.max(...values, 0) + 10) / 10) * 10);
    const pw = W - M.left - M.right; const ph = H - M.top - M.bottom;
    const x = (t) => r1(M.left + ((t - from) / (to - from)) * pw);
    const y = (v) => r1(M.top + ((yMax - v) / (yMax - yMin)) * ph);
    const days = Math.round((to - from) / DAY);

    const svg = node('svg', {
      class: 'chart bp', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img',
      'aria-label': `Blood pressure over ${days} days: ${readings.length} readings, ${doses.length} dose changes, `
        + `${alerts.length} alerts`,
      'data-from': from, 'data-to': to, 'data-y-min': yMin, 'data-y-max': yMax,
      'data-plot': `${M.left},${M.top},${pw},${ph}`,
    });
    const band = (cls, top, bottom, label) => {
      const t = Math.min(Math.max(top, yMin), yMax); const b = Math.min(Math.max(bottom, yMin), yMax);
      if (t <= b) return;
      const r = node('rect', { class: `band ${cls}`, x: M.left, width: pw, y: y(t), height: r1(y(b) - y(t)),
        'data-from-value': b, 'data-to-value': t });
      r.append(node('title', {}, label));
      svg.append(r);
    };
    // Bands first, so that the data are drawn over them.
    band('crisis', yMax, crisis.systolic, `Hypertensive crisis: systolic ${crisis.systolic} or more`);
    band('target', goal.systolic, floor ?? yMin, floor == null
      ? `Systolic target: below ${goal.systolic}`
      : `Systolic target: below ${goal.systolic}, above the floor of ${floor}`);
    if (floor != null) band('floor', floor, yMin, `Below the bounds' systolic floor ${floor}: no increase`);
    const diaTarget = node('line', { class: 'target-line diastolic', x1: M.left, x2: M.left + pw, y1: y(goal.diastolic),
      y2: y(goal.diastolic), 'data-value': goal.diastolic });
    diaTarget.append(node('title', {}, `Diastolic target: below ${goal.diastolic}`));
    svg.append(diaTarget);

    // Axes: values every 20 mm[Hg], time in whole days.
    const axis = node('g', { class: 'axis' });
    for (let v = Math.ceil(yMin / 20) * 20; v <= yMax; v += 20) {
      axis.append(node('line', { class: 'grid', x1: M.left, x2: M.left + pw, y1: y(v), y2: y(v) }));
      axis.append(node('text', { x: M.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, String(v)));
    }
    const step = days <= 7 ? 1 : days <= 30 ? 5 : 15;
    const end = new Date(to); end.setHours(0, 0, 0, 0);
    for (let t = end.getTime(); t >= from; t -= step * DAY) {
      axis.append(node('line', { class: 'tick', x1: x(t), x2: x(t), y1: M.top + ph, y2: M.top + ph + 5 }));
      axis.append(node('text', { x: x(t), y: M.top + ph + 18, 'text-anchor': 'middle' },
        new Date(t).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })));
    }
    axis.append(node('text', { x: 12, y: M.top + ph / 2, transform: `rotate(-90 12 ${M.top + ph / 2})`,
      'text-anchor': 'middle' }, 'mm[Hg]'));
    axis.append(node('line', { class: 'frame', x1: M.left, x2: M.left, y1: M.top, y2: M.top + ph }));
    axis.append(node('line', { class: 'frame', x1: M.left, x2: M.left + pw, y1: M.top + ph, y2: M.top + ph }));
    svg.append(axis);

    // Markers: dose changes as a dashed rule with a triangle on the time axis; alerts as a diamond on top.
    for (const d of doses) {
      const g = node('g', { class: 'marker dose', 'data-at': d.at });
      g.append(node('line', { x1: x(d.at), x2: x(d.at), y1: M.top, y2: M.top + ph }));
      g.append(node('path', { d: `M${x(d.at)},${M.top + ph} l-6,10 h12 z` }));
      g.append(node('title', {}, `${new Date(d.at).toLocaleString()}: ${d.label}`));
      svg.append(g);
    }
    for (const a of alerts) {
      const g = node('g', { class: `marker alert ${a.severity === 'high' ? 'high' : 'moderate'}`, 'data-at': a.at });
      g.append(node('path', { d: `M${x(a.at)},${M.top - 2} l6,8 l-6,8 l-6,-8 z` }));
      g.append(node('title', {}, `${new Date(a.at).toLocaleString()}: ${a.label}`));
      svg.append(g);
    }

    // The two series: a line and one point per reading.
    for (const series of ['systolic', 'diastolic']) {
      if (readings.length > 1) {
        svg.append(node('polyline', { class: `series ${series}`,
          points: readings.map((r) => `${x(r.at)},${y(r[series])}`).join(' ') }));
      }
      for (const r of readings) {
        const c = node('circle', { class: `point ${series}`, cx: x(r.at), cy: y(r[series]), r: 3.5,
          'data-at': r.at, 'data-value': r[series] });
        c.append(node('title', {}, `${new Date(r.at).toLocaleString()}: ${r.systolic}/${r.diastolic} mm[Hg]`));
        svg.append(c);
      }
    }
    if (readings.length === 0) {
      svg.append(node('text', { class: 'empty', x: M.left + pw / 2, y: M.top + ph / 2, 'text-anchor': 'middle' },
        `No blood-pressure readings in the last ${days} days`));
    }
    return svg;
  }

  return { draw, DAY };
})();
