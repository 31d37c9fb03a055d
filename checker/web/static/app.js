// The workbench's only script (served from this server: the CSP allows no inline script). It sorts and filters the
// portfolio table and sends the what-if form; every text it shows comes from the server, already escaped.
(function () {
  'use strict';
  var root = document.documentElement;
  root.setAttribute('data-js', 'ready');

  // --- portfolio: sort by a column heading, filter by text, district, phase and gaps ---
  var table = document.getElementById('portfolio');
  if (table) {
    var body = table.tBodies[0];
    var heads = table.tHead.rows[0].cells;
    var cellValue = function (row, i) {
      var cell = row.cells[i];
      if (!cell) { return ''; }
      return cell.hasAttribute('data-v') ? cell.getAttribute('data-v') : cell.textContent.trim();
    };
    Array.prototype.forEach.call(heads, function (th, i) {
      th.addEventListener('click', function () {
        var desc = th.classList.contains('asc');
        Array.prototype.forEach.call(heads, function (h) { h.classList.remove('asc', 'desc'); });
        th.classList.add(desc ? 'desc' : 'asc');
        var numeric = th.getAttribute('data-type') === 'number';
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, i), y = cellValue(b, i);
          var c = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y, 'zh-CN');
          return desc ? -c : c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    var text = document.getElementById('f-text'), district = document.getElementById('f-district');
    var phase = document.getElementById('f-phase'), gaps = document.getElementById('f-gaps');
    var shown = document.getElementById('shown');
    var filter = function () {
      var q = text.value.trim().toLowerCase(), n = 0;
      Array.prototype.forEach.call(body.rows, function (r) {
        var ok = (!q || r.getAttribute('data-text').toLowerCase().indexOf(q) >= 0) &&
          (!district.value || r.getAttribute('data-district') === district.value) &&
          (!phase.value || r.getAttribute('data-phase') === phase.value) &&
          (!gaps.checked || r.getAttribute('data-gaps') !== '0');
        r.hidden = !ok;
        if (ok) { n++; }
      });
      shown.textContent = shown.getAttribute('data-template').replace('{shown}', n).replace('{total}', body.rows.length);
    };
    [text, district, phase, gaps].forEach(function (el) { el.addEventListener('input', filter); el.addEventListener('change', filter); });
  }

  // --- what-if: every change goes to the server, which answers with the recommendation as HTML ---
  var whatif = document.getElementById('whatif');
  if (whatif) {
    var target = document.getElementById('answer');
    var pending = null, seq = 0;
    var ask = function () {
      var mine = ++seq;
      target.classList.add('busy');
      var data = new FormData(whatif);
      fetch('/whatif/answer', {method: 'POST', body: data, credentials: 'same-origin',
                               headers: {'X-CSRF-Token': data.get('csrf')}})
        .then(function (r) { return r.text(); })
        .then(function (html) {
          if (mine !== seq) { return; }
          var doc = new DOMParser().parseFromString(html, 'text/html');
          target.replaceChildren.apply(target, Array.prototype.slice.call(doc.body.childNodes));
          target.classList.remove('busy');
          target.setAttribute('data-seq', String(mine));
        });
    };
    whatif.addEventListener('input', function () { clearTimeout(pending); pending = setTimeout(ask, 60); });
    whatif.addEventListener('change', function () { clearTimeout(pending); ask(); });
  }
}());
