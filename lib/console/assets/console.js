/* The observability console page. Plain browser JavaScript, no build step. Every value from the
   server is put into the page as text (textContent, text nodes); no HTML is ever parsed from data. */
(function () {
  'use strict';
  var main = document.getElementById('main');
  var updated = document.getElementById('updated');
  var timer = null;
  var charts = [];
  var PALETTE = ['#1f6feb', '#8250df', '#bf8700', '#1a7f37', '#cf222e', '#0a7ea4', '#d4409a', '#6e7781'];

  // --- small helpers -------------------------------------------------------------------------
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === undefined || v === null || v === false) return;
        if (k === 'class') node.className = v;
        else if (k === 'text') node.textContent = String(v);
        else if (k.slice(0, 2) === 'on') node.addEventListener(k.slice(2), v);
        else node.setAttribute(k, v === true ? '' : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }
  function append(node, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child))
      child.forEach(function (c) {
        append(node, c);
      });
    else node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  function link(href, text, cls) {
    return el('a', { href: href, class: cls, text: text });
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }
  function ms(v) {
    if (v === null || v === undefined || !isFinite(v)) return '–';
    if (v < 1) return v.toFixed(2) + ' ms';
    if (v < 1000) return (v < 10 ? v.toFixed(1) : Math.round(v)) + ' ms';
    return (v / 1000).toFixed(2) + ' s';
  }
  function pct(v) {
    return v === null || v === undefined ? '–' : (v * 100).toFixed(v < 0.1 ? 2 : 1) + ' %';
  }
  function rate(v) {
    return v === null || v === undefined
      ? '–'
      : (v < 0.1 ? v.toFixed(3) : v < 10 ? v.toFixed(2) : v.toFixed(1)) + ' /s';
  }
  function time(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return String(iso);
    return d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  }
  function duration(s) {
    s = Math.round(s);
    var d = Math.floor(s / 86400),
      h = Math.floor((s % 86400) / 3600),
      m = Math.floor((s % 3600) / 60);
    return (d ? d + 'd ' : '') + (d || h ? h + 'h ' : '') + (d || h || m ? m + 'm ' : '') + (s % 60) + 's';
  }
  function statusClass(code) {
    return code >= 500 ? 'bad' : code >= 400 ? 'warn' : code >= 300 ? 'info' : 'ok';
  }
  function healthClass(s) {
    return s === 'healthy' ? 'ok' : s === 'degraded' ? 'warn' : 'bad';
  }
  function levelClass(l) {
    return l === 'error' ? 'bad' : l === 'warn' ? 'warn' : l === 'info' || l === 'http' ? 'info' : 'muted';
  }
  function badge(text, cls) {
    return el('span', { class: 'badge ' + cls, text: text });
  }
  // Colours in the order services are first seen on this page: distinct for up to eight.
  var serviceColors = {};
  var colorsUsed = 0;
  function serviceColor(name) {
    var key = String(name);
    if (!Object.prototype.hasOwnProperty.call(serviceColors, key))
      serviceColors[key] = PALETTE[colorsUsed++ % PALETTE.length];
    return serviceColors[key];
  }
  function serviceTag(name) {
    var tag = el('span', { class: 'svc', text: name || 'unknown' });
    tag.style.borderColor = serviceColor(name);
    tag.style.color = serviceColor(name);
    return tag;
  }
  function compact(v) {
    try {
      var s = JSON.stringify(v);
      return s.length > 160 ? s.slice(0, 157) + '…' : s;
    } catch (e) {
      return String(v);
    }
  }

  function api(path) {
    return fetch('api/' + path, { headers: { accept: 'application/json' }, credentials: 'same-origin' }).then(
      function (res) {
        if (res.status === 401) throw new Error('not authorized to see this console (401)');
        return res.json().then(function (body) {
          if (!res.ok) throw new Error((body && body.error) || 'HTTP ' + res.status);
          return body;
        });
      },
    );
  }
  function stamp() {
    updated.textContent = 'updated ' + new Date().toLocaleTimeString([], { hour12: false });
  }
  function failed(e) {
    clear(main);
    append(main, el('p', { class: 'error-box', text: String(e && e.message ? e.message : e) }));
  }

  // --- routing: #/view/arg?query ---------------------------------------------------------------
  function parseHash() {
    var raw = location.hash.replace(/^#\/?/, '');
    var q = raw.indexOf('?');
    var path = q < 0 ? raw : raw.slice(0, q);
    var params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    var parts = path.split('/');
    return { view: parts[0] || 'overview', arg: parts.slice(1).join('/'), params: params };
  }
  function go(view, params) {
    var qs = params
      ? new URLSearchParams(
          Object.entries(params).filter(function (e) {
            return e[1] !== '' && e[1] !== undefined && e[1] !== null && e[1] !== false;
          }),
        ).toString()
      : '';
    location.hash = '#/' + view + (qs ? '?' + qs : '');
  }
  function route() {
    if (timer) clearInterval(timer);
    timer = null;
    charts.forEach(function (c) {
      c.destroy();
    });
    charts = [];
    var r = parseHash();
    Array.prototype.forEach.call(document.querySelectorAll('#nav a'), function (a) {
      var active = a.getAttribute('data-view') === (r.view === 'trace' ? 'traces' : r.view);
      a.className = active ? 'active' : '';
    });
    var views = {
      overview: overview,
      routes: routes,
      traces: traces,
      trace: trace,
      logs: logs,
      errors: errors,
    };
    (views[r.view] || overview)(r);
  }
  function live(fn, everyMs) {
    fn();
    timer = setInterval(fn, everyMs);
  }

  // --- overview ----------------------------------------------------------------------------------
  function overview() {
    clear(main);
    var info = el('section', { class: 'card', id: 'info' });
    var health = el('section', { class: 'card', id: 'health' });
    var chartBox = el('section', { class: 'charts', id: 'charts' });
    append(main, [el('div', { class: 'row' }, info, health), chartBox]);
    var specs = [
      {
        id: 'chart-rate',
        title: 'Request rate',
        unit: 'req/s',
        series: [{ label: 'requests/s', key: 'rate', stroke: '#1f6feb', fill: 'rgba(31,111,235,0.12)' }],
        fmt: function (v) {
          return v.toFixed(v < 10 ? 2 : 0);
        },
      },
      {
        id: 'chart-errors',
        title: 'Error ratio (5xx and aborted)',
        unit: '%',
        series: [
          {
            label: 'errors %',
            key: 'errorRatio',
            scale: 100,
            stroke: '#cf222e',
            fill: 'rgba(207,34,46,0.12)',
          },
        ],
        fmt: function (v) {
          return v.toFixed(1);
        },
      },
      {
        id: 'chart-latency',
        title: 'Latency',
        unit: 'ms',
        series: [
          { label: 'p50', key: 'p50', stroke: '#1a7f37' },
          { label: 'p95', key: 'p95', stroke: '#bf8700' },
          { label: 'p99', key: 'p99', stroke: '#cf222e' },
        ],
        fmt: function (v) {
          return v < 10 ? v.toFixed(1) : v.toFixed(0);
        },
      },
    ];
    var boxes = specs.map(function (s) {
      var box = el(
        'div',
        { class: 'card chart', id: s.id },
        el('h3', { text: s.title + ' (' + s.unit + '), last hour, 10 s steps' }),
      );
      append(chartBox, box);
      return box;
    });
    live(function () {
      api('overview').then(function (o) {
        renderInfo(info, o);
        renderHealth(health, o.health);
        stamp();
      }, failed);
      api('series?minutes=60').then(
        function (s) {
          drawCharts(specs, boxes, s.points);
        },
        function () {},
      );
    }, 5000);
  }

  function renderInfo(box, o) {
    clear(box);
    document.title = o.service + ' · observability console';
    document.getElementById('title').textContent = o.service;
    append(box, [
      el('h2', { text: 'Service' }),
      el(
        'dl',
        null,
        el('dt', { text: 'service' }),
        el('dd', { text: o.service }),
        el('dt', { text: 'version' }),
        el('dd', { text: o.version }),
        el('dt', { text: 'environment' }),
        el('dd', { text: o.environment }),
        el('dt', { text: 'uptime' }),
        el('dd', {
          text: duration(o.uptimeSeconds) + ' (since ' + new Date(o.startedAt).toLocaleString() + ')',
        }),
        el('dt', { text: 'runtime' }),
        el('dd', { text: 'Node ' + o.node + ', pid ' + o.pid }),
        el('dt', { text: 'peers' }),
        el('dd', { text: o.peers + ' other consoles' }),
      ),
    ]);
  }

  function renderHealth(box, report) {
    clear(box);
    var names = Object.keys(report.checks || {});
    append(
      box,
      el(
        'h2',
        null,
        'Health ',
        badge(report.status, healthClass(report.status)),
        el('span', {
          class: 'muted small',
          text: ' ' + names.length + ' checks, ' + ms(report.responseTimeMs),
        }),
      ),
    );
    var rows = names.map(function (n) {
      var c = report.checks[n];
      return el(
        'tr',
        { 'data-check': n },
        el('td', { text: n }),
        el('td', null, badge(c.status, healthClass(c.status))),
        el('td', { text: c.critical ? 'critical' : 'non-critical', class: 'muted' }),
        el('td', { class: 'num', text: ms(c.durationMs) }),
        el('td', { class: 'muted', text: time(c.checkedAt) + (c.stale ? ' (stale)' : '') }),
        el(
          'td',
          { class: 'details' },
          c.error ? el('span', { class: 'bad-text', text: c.error }) : null,
          c.details ? el('span', { class: 'muted', text: (c.error ? ' ' : '') + compact(c.details) }) : null,
        ),
      );
    });
    append(
      box,
      el(
        'table',
        { class: 'grid', id: 'checks' },
        el(
          'thead',
          null,
          el(
            'tr',
            null,
            ['check', 'status', 'kind', 'latency', 'checked', 'details / error'].map(function (h) {
              return el('th', { text: h });
            }),
          ),
        ),
        el('tbody', null, rows),
      ),
    );
  }

  function drawCharts(specs, boxes, points) {
    // A process younger than the hour: the axis starts a slot before its first request (at least 5 minutes shown).
    var first = points.findIndex(function (p) {
      return p.requests > 0;
    });
    var from = first < 0 ? points.length - 30 : Math.min(Math.max(first - 1, 0), points.length - 30);
    if (from > 0) points = points.slice(from);
    var xs = points.map(function (p) {
      return p.t / 1000;
    });
    specs.forEach(function (s, i) {
      var data = [xs].concat(
        s.series.map(function (ser) {
          return points.map(function (p) {
            var v = p[ser.key];
            return v === null || v === undefined ? (ser.key === 'rate' ? 0 : null) : v * (ser.scale || 1);
          });
        }),
      );
      var drawn = data.slice(1).reduce(function (n, col) {
        return (
          n +
          col.filter(function (v) {
            return v !== null && v !== 0;
          }).length
        );
      }, 0);
      boxes[i].setAttribute('data-points', String(drawn));
      if (charts[i]) {
        charts[i].setData(data);
        return;
      }
      if (typeof uPlot !== 'function') return;
      var width = Math.max(280, boxes[i].clientWidth - 24);
      charts[i] = new uPlot(
        {
          width: width,
          height: 180,
          cursor: { drag: { x: false, y: false } },
          legend: { live: true },
          scales: {
            x: { time: true },
            y: {
              range: function (u, min, max) {
                return [0, Math.max(max || 0, s.unit === '%' ? 1 : s.unit === 'ms' ? 5 : 0.1) * 1.1];
              },
            },
          },
          axes: [
            { stroke: '#57606a', grid: { stroke: '#eaeef2' } },
            {
              stroke: '#57606a',
              grid: { stroke: '#eaeef2' },
              size: 56,
              label: s.unit,
              values: function (u, vals) {
                return vals.map(function (v) {
                  return s.fmt(v);
                });
              },
            },
          ],
          series: [{ label: 'time' }].concat(
            s.series.map(function (ser) {
              return {
                label: ser.label,
                stroke: ser.stroke,
                fill: ser.fill,
                width: 1.5,
                spanGaps: false,
                // Dots where a line has few values (a young process, a rare route), so they show.
                points: {
                  show: function (u, i) {
                    return (
                      u.data[i].filter(function (v) {
                        return v !== null && v !== 0;
                      }).length < 40
                    );
                  },
                  size: 5,
                },
                value: function (u, v) {
                  return v === null || v === undefined ? '–' : s.fmt(v) + ' ' + s.unit;
                },
              };
            }),
          ),
        },
        data,
        boxes[i],
      );
    });
  }

  // --- routes ------------------------------------------------------------------------------------
  var ROUTE_COLUMNS = [
    ['method', 'method'],
    ['route', 'route'],
    ['rate', 'rate'],
    ['requests', 'requests'],
    ['errorRatio', 'errors'],
    ['p50', 'p50'],
    ['p95', 'p95'],
    ['p99', 'p99'],
    ['lastError', 'last error'],
    [null, 'recent traces'],
  ];
  function routes(r) {
    var sort = r.params.get('sort') || 'rate';
    var dir = r.params.get('dir') === 'asc' ? 1 : -1;
    var win = r.params.get('window') || '300';
    clear(main);
    var box = el('section', { class: 'card' });
    append(main, box);
    live(function () {
      api('routes?window=' + encodeURIComponent(win)).then(function (body) {
        stamp();
        clear(box);
        var rows = body.routes.slice().sort(function (a, b) {
          var x = a[sort],
            y = b[sort];
          if (sort === 'lastError') {
            x = a.lastError ? a.lastError.time : '';
            y = b.lastError ? b.lastError.time : '';
          }
          if (x === y) return 0;
          if (x === null || x === undefined) return 1;
          if (y === null || y === undefined) return -1;
          return (x < y ? -1 : 1) * dir;
        });
        append(
          box,
          el(
            'h2',
            null,
            'Routes ',
            el('span', {
              class: 'muted small',
              text:
                'over the last ' +
                (body.windowSeconds >= 3600
                  ? 'hour'
                  : body.windowSeconds >= 120
                    ? Math.round(body.windowSeconds / 60) + ' minutes'
                    : body.windowSeconds + ' s (since the process started)') +
                ' · ' +
                rows.length +
                ' routes · ',
            }),
            link(
              '#/routes?window=' + (win === '3600' ? '300' : '3600') + '&sort=' + sort,
              win === '3600' ? 'show last 5 minutes' : 'show last hour',
              'small',
            ),
          ),
        );
        var head = el(
          'tr',
          null,
          ROUTE_COLUMNS.map(function (c) {
            if (!c[0]) return el('th', { text: c[1] });
            var next = sort === c[0] && dir === -1 ? 'asc' : 'desc';
            return el(
              'th',
              null,
              link(
                '#/routes?window=' + win + '&sort=' + c[0] + '&dir=' + next,
                c[1] + (sort === c[0] ? (dir === -1 ? ' ▼' : ' ▲') : ''),
                'sort',
              ),
            );
          }),
        );
        var body2 = el(
          'tbody',
          null,
          rows.map(function (row) {
            var e = row.lastError;
            return el(
              'tr',
              { 'data-route': row.method + ' ' + row.route },
              el('td', { text: row.method }),
              el('td', { class: 'mono', text: row.route }),
              el('td', { class: 'num', text: rate(row.rate) }),
              el('td', { class: 'num', text: row.requests }),
              el('td', { class: 'num ' + (row.errors > 0 ? 'bad-text' : ''), text: pct(row.errorRatio) }),
              el('td', { class: 'num', text: ms(row.p50) }),
              el('td', { class: 'num', text: ms(row.p95) }),
              el('td', { class: 'num', text: ms(row.p99) }),
              el(
                'td',
                null,
                e
                  ? [
                      badge(String(e.status), statusClass(e.status)),
                      ' ',
                      e.type,
                      ' ',
                      el('span', { class: 'muted', text: time(e.time) }),
                    ]
                  : el('span', { class: 'muted', text: '–' }),
              ),
              el(
                'td',
                null,
                link('#/traces?route=' + encodeURIComponent(row.route) + '&sort=slowest', 'slowest'),
                ' · ',
                link('#/traces?route=' + encodeURIComponent(row.route) + '&error=1', 'failed'),
              ),
            );
          }),
        );
        append(box, el('table', { class: 'grid', id: 'routes' }, el('thead', null, head), body2));
        append(
          box,
          el('p', {
            class: 'muted small',
            text: 'Latency percentiles are estimated within fixed buckets (1 ms … 10 s). Errors: 5xx and aborted requests.',
          }),
        );
      }, failed);
    }, 10000);
  }

  // --- traces --------------------------------------------------------------------------------------
  function traces(r) {
    var p = r.params;
    clear(main);
    var form = el('form', { class: 'filters', id: 'trace-filters' });
    var fields = {
      route: el('input', {
        name: 'route',
        placeholder: 'route template, e.g. /orders/:id',
        value: p.get('route') || '',
        size: 28,
      }),
      status: el(
        'select',
        { name: 'status' },
        ['', '2xx', '4xx', '5xx'].map(function (s) {
          return el('option', { value: s, text: s || 'any status', selected: p.get('status') === s });
        }),
      ),
      error: el('input', { type: 'checkbox', name: 'error', checked: p.get('error') === '1' }),
      minMs: el('input', {
        name: 'minMs',
        type: 'number',
        min: '0',
        placeholder: 'min ms',
        value: p.get('minMs') || '',
        size: 6,
      }),
      traceId: el('input', {
        name: 'traceId',
        placeholder: 'trace id',
        value: p.get('traceId') || '',
        size: 20,
      }),
      sort: el(
        'select',
        { name: 'sort' },
        [
          ['recent', 'most recent'],
          ['slowest', 'slowest'],
        ].map(function (s) {
          return el('option', { value: s[0], text: s[1], selected: (p.get('sort') || 'recent') === s[0] });
        }),
      ),
    };
    append(form, [
      fields.route,
      fields.status,
      el('label', null, fields.error, ' errors only'),
      fields.minMs,
      fields.traceId,
      fields.sort,
      el('button', { type: 'submit', text: 'Filter' }),
    ]);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      go('traces', {
        route: fields.route.value,
        status: fields.status.value,
        error: fields.error.checked ? '1' : '',
        minMs: fields.minMs.value,
        traceId: fields.traceId.value.trim(),
        sort: fields.sort.value === 'recent' ? '' : fields.sort.value,
      });
    });
    var box = el('section', { class: 'card' });
    append(main, [el('section', { class: 'card' }, el('h2', { text: 'Traces' }), form), box]);
    var qs = new URLSearchParams();
    ['route', 'status', 'error', 'minMs', 'traceId', 'sort'].forEach(function (k) {
      if (p.get(k)) qs.set(k, p.get(k));
    });
    api('traces?' + qs.toString()).then(function (body) {
      stamp();
      if (body.traces.length === 0) {
        append(
          box,
          el('p', {
            class: 'muted',
            text: 'No trace held here matches (spans are kept in a ring of the most recent ones).',
          }),
        );
        return;
      }
      append(
        box,
        el(
          'table',
          { class: 'grid', id: 'traces' },
          el(
            'thead',
            null,
            el(
              'tr',
              null,
              ['time', 'trace', 'status', 'duration', 'spans', 'services'].map(function (h) {
                return el('th', { text: h });
              }),
            ),
          ),
          el(
            'tbody',
            null,
            body.traces.map(function (t) {
              return el(
                'tr',
                { 'data-trace': t.traceId },
                el('td', { class: 'muted', text: time(t.startTime) }),
                el(
                  'td',
                  null,
                  link('#/trace/' + t.traceId, t.name, 'mono'),
                  t.error ? [' ', badge('error', 'bad')] : null,
                ),
                el('td', null, t.status ? badge(String(t.status), statusClass(t.status)) : '–'),
                el('td', { class: 'num', text: ms(t.durationMs) }),
                el('td', { class: 'num', text: t.spanCount }),
                el('td', null, t.services.map(serviceTag)),
              );
            }),
          ),
        ),
      );
    }, failed);
  }

  // --- one trace: the waterfall ------------------------------------------------------------------
  function trace(r) {
    var id = r.arg;
    clear(main);
    append(
      main,
      el('p', { class: 'muted', text: 'Loading trace ' + id + ' from this service and its peers…' }),
    );
    api('traces/' + encodeURIComponent(id)).then(function (body) {
      stamp();
      clear(main);
      var spans = body.spans;
      var head = el('section', { class: 'card' });
      append(main, head);
      append(head, el('h2', null, 'Trace ', el('span', { class: 'mono', text: id })));
      if (spans.length === 0) {
        append(
          head,
          el('p', {
            class: 'muted',
            text: 'No span of this trace is held here or at the peers (not sampled, or no longer in memory).',
          }),
        );
      }
      var t0 = Infinity,
        t1 = -Infinity;
      spans.forEach(function (s) {
        var a = Date.parse(s.startTime);
        s._start = a;
        t0 = Math.min(t0, a);
        t1 = Math.max(t1, a + s.durationMs);
      });
      var total = Math.max(t1 - t0, 0.001);
      append(
        head,
        el(
          'p',
          null,
          spans.length + ' spans · ' + ms(total) + ' · services: ',
          body.services.map(serviceTag),
          ' ',
          link('#/logs?trace_id=' + id, 'logs of this trace', 'button'),
          body.peers.length
            ? el('span', {
                class: 'muted small',
                text:
                  ' · peers: ' +
                  body.peers
                    .map(function (p) {
                      return p.peer + (p.ok ? ' (' + p.count + ' spans)' : ' (' + p.error + ')');
                    })
                    .join(', '),
              })
            : null,
        ),
      );
      var ordered = treeOrder(spans);
      var detail = el(
        'section',
        { class: 'card', id: 'span-detail' },
        el('p', { class: 'muted', text: 'Select a span to see its attributes and events.' }),
      );
      var scale = el(
        'div',
        { class: 'wf-scale' },
        [0, 0.25, 0.5, 0.75, 1].map(function (f) {
          var tick = el('span', { text: ms(total * f) });
          tick.style.left = f * 100 + '%';
          return tick;
        }),
      );
      var rows = ordered.map(function (item) {
        var s = item.span;
        var bar = el('div', { class: 'wf-bar' + (s.status.code === 'ERROR' ? ' wf-error' : '') });
        bar.style.left = ((s._start - t0) / total) * 100 + '%';
        bar.style.width = Math.max((s.durationMs / total) * 100, 0.3) + '%';
        bar.style.background = s.status.code === 'ERROR' ? '#cf222e' : serviceColor(s.service);
        var name = el(
          'div',
          { class: 'wf-name' },
          serviceTag(s.service),
          ' ',
          el('span', { class: 'mono', text: s.name }),
        );
        name.style.paddingLeft = item.depth * 14 + 'px';
        var row = el(
          'div',
          { class: 'wf-row', 'data-span': s.spanId, 'data-service': s.service || '', tabindex: '0' },
          name,
          el('div', { class: 'wf-track' }, bar),
          el('div', { class: 'wf-dur num', text: ms(s.durationMs) }),
        );
        row.addEventListener('click', function () {
          Array.prototype.forEach.call(document.querySelectorAll('.wf-row.selected'), function (x) {
            x.classList.remove('selected');
          });
          row.classList.add('selected');
          showSpan(detail, s);
        });
        return row;
      });
      append(main, [
        el(
          'section',
          { class: 'card waterfall', id: 'waterfall' },
          el(
            'div',
            { class: 'wf-row wf-head' },
            el('div', { class: 'wf-name', text: 'span' }),
            el('div', { class: 'wf-track' }, scale),
            el('div', { class: 'wf-dur', text: 'duration' }),
          ),
          rows,
        ),
        detail,
      ]);
    }, failed);
  }

  function treeOrder(spans) {
    var ids = {},
      children = {},
      out = [];
    spans.forEach(function (s) {
      ids[s.spanId] = true;
    });
    spans.forEach(function (s) {
      var parent = s.parentSpanId && ids[s.parentSpanId] ? s.parentSpanId : '';
      (children[parent] = children[parent] || []).push(s);
    });
    function walk(parent, depth) {
      (children[parent] || [])
        .sort(function (a, b) {
          return a._start - b._start;
        })
        .forEach(function (s) {
          out.push({ span: s, depth: depth });
          if (depth < 40) walk(s.spanId, depth + 1);
        });
    }
    walk('', 0);
    return out;
  }

  function showSpan(box, s) {
    clear(box);
    append(box, [
      el(
        'h3',
        null,
        serviceTag(s.service),
        ' ',
        el('span', { class: 'mono', text: s.name }),
        ' ',
        badge(s.kind, 'muted'),
        ' ',
        badge(s.status.code, s.status.code === 'ERROR' ? 'bad' : 'ok'),
      ),
      el('p', {
        class: 'muted small',
        text:
          'span ' +
          s.spanId +
          (s.parentSpanId ? ' · parent ' + s.parentSpanId : ' · root') +
          ' · started ' +
          time(s.startTime) +
          ' · ' +
          ms(s.durationMs) +
          (s.status.message ? ' · ' + s.status.message : ''),
      }),
      el('h4', { text: 'Attributes' }),
      kvTable(s.attributes || {}),
    ]);
    if (s.events && s.events.length) {
      append(box, el('h4', { text: 'Events' }));
      s.events.forEach(function (e) {
        append(
          box,
          el(
            'div',
            { class: 'event' + (e.name === 'exception' ? ' event-exception' : '') },
            el('strong', { text: e.name }),
            ' ',
            el('span', { class: 'muted', text: time(e.time) }),
            kvTable(e.attributes || {}),
          ),
        );
      });
    }
  }

  function kvTable(obj) {
    var keys = Object.keys(obj);
    if (!keys.length) return el('p', { class: 'muted', text: 'none' });
    return el(
      'table',
      { class: 'kv' },
      el(
        'tbody',
        null,
        keys.sort().map(function (k) {
          var v = obj[k];
          return el(
            'tr',
            null,
            el('th', { class: 'mono', text: k }),
            el('td', { class: 'mono pre', text: typeof v === 'string' ? v : JSON.stringify(v) }),
          );
        }),
      ),
    );
  }

  // --- logs ------------------------------------------------------------------------------------------
  function logs(r) {
    var p = r.params;
    clear(main);
    var form = el('form', { class: 'filters', id: 'log-filters' });
    var f = {
      level: el(
        'select',
        { name: 'level' },
        [
          ['', 'any level'],
          ['error', 'error'],
          ['warn', 'warn and above'],
          ['info', 'info and above'],
          ['debug', 'debug and above'],
        ].map(function (l) {
          return el('option', { value: l[0], text: l[1], selected: (p.get('level') || '') === l[0] });
        }),
      ),
      q: el('input', { name: 'q', placeholder: 'text', value: p.get('q') || '', size: 20 }),
      trace_id: el('input', {
        name: 'trace_id',
        placeholder: 'trace_id',
        value: p.get('trace_id') || '',
        size: 34,
      }),
      request_id: el('input', {
        name: 'request_id',
        placeholder: 'request_id',
        value: p.get('request_id') || '',
        size: 20,
      }),
    };
    append(form, [f.level, f.q, f.trace_id, f.request_id, el('button', { type: 'submit', text: 'Filter' })]);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      go('logs', {
        level: f.level.value,
        q: f.q.value,
        trace_id: f.trace_id.value.trim(),
        request_id: f.request_id.value.trim(),
      });
    });
    var box = el('section', { class: 'card' });
    append(main, [
      el(
        'section',
        { class: 'card' },
        el(
          'h2',
          null,
          'Logs',
          p.get('trace_id')
            ? [' of trace ', link('#/trace/' + p.get('trace_id'), p.get('trace_id'), 'mono')]
            : null,
        ),
        form,
      ),
      box,
    ]);
    var qs = new URLSearchParams();
    ['level', 'q', 'trace_id', 'request_id'].forEach(function (k) {
      if (p.get(k)) qs.set(k, p.get(k));
    });
    api('logs?' + qs.toString()).then(function (body) {
      stamp();
      var services = {};
      body.records.forEach(function (x) {
        services[x.service] = true;
      });
      append(
        box,
        el('p', {
          class: 'muted small',
          id: 'log-summary',
          text:
            body.records.length +
            ' records from ' +
            Object.keys(services).length +
            ' services' +
            (body.peers.length
              ? ' (peers: ' +
                body.peers
                  .map(function (pp) {
                    return pp.peer + (pp.ok ? ' ' + pp.count : ' ' + pp.error);
                  })
                  .join(', ') +
                ')'
              : ''),
        }),
      );
      var rows = [];
      body.records.forEach(function (x) {
        var full = el(
          'tr',
          { class: 'log-full', hidden: true },
          el('td', { colspan: '6' }, el('pre', { text: JSON.stringify(x, null, 2) })),
        );
        var row = el(
          'tr',
          { class: 'log-line', 'data-service': x.service || '' },
          el('td', { class: 'muted nowrap', text: time(x.timestamp) }),
          el('td', null, badge(x.level, levelClass(x.level))),
          el('td', null, serviceTag(x.service)),
          el('td', { class: 'muted', text: x.logger || '' }),
          el(
            'td',
            { class: 'msg' },
            el('span', { class: 'message', text: x.message }),
            x['http.route']
              ? el('span', {
                  class: 'muted',
                  text:
                    ' ' +
                    x['http.request.method'] +
                    ' ' +
                    x['url.path'] +
                    ' → ' +
                    x['http.response.status_code'],
                })
              : null,
          ),
          el(
            'td',
            { class: 'nowrap' },
            x.trace_id ? link('#/trace/' + x.trace_id, 'trace', 'small') : null,
            x.request_id
              ? [' ', link('#/logs?request_id=' + encodeURIComponent(x.request_id), 'request', 'small')]
              : null,
          ),
        );
        row.addEventListener('click', function (ev) {
          if (ev.target.tagName !== 'A') full.hidden = !full.hidden;
        });
        rows.push(row, full);
      });
      append(
        box,
        el(
          'table',
          { class: 'grid logs', id: 'logs' },
          el(
            'thead',
            null,
            el(
              'tr',
              null,
              ['time', 'level', 'service', 'logger', 'message', ''].map(function (h) {
                return el('th', { text: h });
              }),
            ),
          ),
          el('tbody', null, rows),
        ),
      );
    }, failed);
  }

  // --- errors ----------------------------------------------------------------------------------------
  function errors() {
    clear(main);
    var box = el('section', { class: 'card' });
    append(main, box);
    api('errors').then(function (body) {
      stamp();
      append(
        box,
        el(
          'h2',
          null,
          'Errors ',
          el('span', {
            class: 'muted small',
            text: body.errors.length + ' most recent failed requests and method errors',
          }),
        ),
      );
      if (!body.errors.length) {
        append(box, el('p', { class: 'muted', text: 'No errors recorded.' }));
        return;
      }
      append(
        box,
        el(
          'table',
          { class: 'grid', id: 'errors' },
          el(
            'thead',
            null,
            el(
              'tr',
              null,
              ['time', 'kind', 'type', 'message', 'where', 'status', ''].map(function (h) {
                return el('th', { text: h });
              }),
            ),
          ),
          el(
            'tbody',
            null,
            body.errors.map(function (e) {
              return el(
                'tr',
                null,
                el('td', { class: 'muted nowrap', text: time(e.time) }),
                el('td', { text: e.kind }),
                el('td', { class: 'mono bad-text', text: e.type }),
                el('td', { class: 'msg', text: e.message }),
                el('td', { class: 'mono', text: e.route ? e.method + ' ' + e.route : e.function || '' }),
                el('td', null, e.status ? badge(String(e.status), statusClass(e.status)) : null),
                el(
                  'td',
                  { class: 'nowrap' },
                  e.traceId
                    ? [
                        link('#/trace/' + e.traceId, 'trace', 'small'),
                        ' · ',
                        link('#/logs?trace_id=' + e.traceId, 'logs', 'small'),
                      ]
                    : null,
                ),
              );
            }),
          ),
        ),
      );
    }, failed);
  }

  window.addEventListener('hashchange', route);
  route();
})();
