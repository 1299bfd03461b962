// Added to a COPY of report.html by tests/e2e_report.sh (the real page has
// no script): measures the page as Chromium lays it out at 1,280 px and
// writes the numbers into the DOM, which --dump-dom prints.
(function () {
	var d = document, e = d.documentElement, out = {};
	// one line: the text's boxes all share one top
	function lines(el) {
		var r = d.createRange(), tops = {};
		r.selectNodeContents(el);
		var rs = r.getClientRects();
		for (var i = 0; i < rs.length; i++)
			tops[Math.round(rs[i].top)] = 1;
		return Object.keys(tops).length;
	}
	out.scrollWidth = e.scrollWidth;
	out.wrappedDates = 0;
	d.querySelectorAll('td.d, td.st').forEach(function (td) {
		if (lines(td) > 1) out.wrappedDates++;
	});
	// and never wider than their column
	out.clipped = 0;
	d.querySelectorAll('td.d, td.st').forEach(function (td) {
		if (td.scrollWidth > td.clientWidth) out.clipped++;
	});
	out.statusOff = 0;
	d.querySelectorAll('td.st').forEach(function (td) {
		if (td.getBoundingClientRect().right > 1280) out.statusOff++;
	});
	// the tables' headers wrap between words only ("Пользов-атель"
	// was the bug), and no header word runs out of its column
	out.headerWordBreaks = [];
	out.headerOverflow = [];
	d.querySelectorAll('table.media th').forEach(function (th) {
		var t = th.firstChild, re = /\S+/g, m;
		if (th.scrollWidth > th.clientWidth)
			out.headerOverflow.push(th.textContent);
		if (t === null || t.nodeType !== 3)
			return;
		while ((m = re.exec(t.data)) !== null) {
			var r = d.createRange(), tops = {};
			r.setStart(t, m.index);
			r.setEnd(t, m.index + m[0].length);
			var rs = r.getClientRects();
			for (var i = 0; i < rs.length; i++)
				tops[Math.round(rs[i].top)] = 1;
			if (Object.keys(tops).length > 1)
				out.headerWordBreaks.push(m[0]);
		}
	});
	out.blocks = [];
	d.querySelectorAll('#blocks section.block').forEach(function (s) {
		out.blocks.push(s.getAttribute('data-status'));
	});
	out.dupRemedies = 0;
	out.remedies = 0;
	d.querySelectorAll('#blocks section.block ol.remedies').forEach(
	    function (ol) {
		var seen = {};
		ol.querySelectorAll('li').forEach(function (li) {
			if (seen[li.textContent]) out.dupRemedies++;
			seen[li.textContent] = 1;
			out.remedies++;
		});
	});
	out.counts = {};
	['ok', 'warning', 'locked', 'damaged', 'incomplete', 'exp30', 'exp90']
	    .forEach(function (k) {
		var c = d.getElementById('n-' + k);
		out.counts[k] = c ? Number(c.textContent) : -1;
	});
	out.bars = d.querySelectorAll('#expiry rect.bar').length;
	out.items = 0;
	d.querySelectorAll('#expiry rect.bar').forEach(function (r) {
		out.items += Number(r.getAttribute('data-n'));
	});
	out.titles = d.querySelectorAll('#expiry rect.bar > title').length;
	var p = d.createElement('pre');
	p.id = 'measure';
	p.textContent = JSON.stringify(out);
	d.body.appendChild(p);
})();
