// newsroom search: queries the static index written by newsroom/search.py, in the browser.
// Folding, syllables, clause marks, shard groups and the FNV-1a hash must match search.py exactly.
// Results come in two parts: phrase matches (the query's syllables side by side, in title, summary
// or body), then, only when the reader asks or when there is no phrase match, the loose matches
// (every syllable present but scattered) under their own heading.
// A common term's ids are kept in segments of meta.segment ids ("term@7"; its own key holds its count,
// "*1234"): a search looks through the newest two segments first, and older ones when it found less than a
// page or when the reader asks ("older"), so what it downloads stays small however large the site grows.
// Every word the reader sees comes from the page (search.html's #search-texts, in the site's language).
(function () {
  "use strict";
  var form = document.querySelector(".search-form");
  if (!form) return;
  var base = form.getAttribute("data-index");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var looseSection = document.getElementById("search-loose");
  var looseList = document.getElementById("search-loose-results");
  var looseTitle = document.getElementById("search-loose-title");
  var showLoose = document.getElementById("search-show-loose");
  var olderButton = document.getElementById("search-older");  // a site's own older search.html: none
  var textBlock = document.getElementById("search-texts");
  var texts = textBlock ? JSON.parse(textBlock.textContent) : {};  // a site's own older search.html: no words
  var selects = {
    muc: document.getElementById("search-muc"),
    nam: document.getElementById("search-nam"),
    "don-vi": document.getElementById("search-don-vi"),
    "sap-xep": document.getElementById("search-sap-xep")
  };
  var PAGE = 10;
  var CLAUSE = /[.,;:!?…\n]+/;  // search.py: _CLAUSE; a phrase never runs across these
  var TITLE = 0, SUMMARY = 1, BODY = 2;
  var cache = {};
  var meta = null;
  var current = null;
  var generation = 0;  // a newer search makes older, slower ones drop their results

  // A text of the page's, its {name} marks filled in one pass (so a query holding "{count}" stays as typed).
  function say(key, values) {
    return fill(texts[key], values);
  }

  // A text that depends on a count: the page words it for 1 and for any other number (render.py's plural rule).
  function sayCount(key, count, values) {
    var forms = (count === 1 ? texts.one : texts.other) || {};
    return fill(forms[key], Object.assign({ count: grouped(count) }, values));
  }

  function fill(text, values) {
    return (text || "").replace(/\{(\w+)\}/g, function (mark, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : mark;
    });
  }

  // 1234 as the pages write it: 1.234 on a Vietnamese site, 1,234 on an English one (render.py: number).
  function grouped(count) {
    return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, texts.group || "");
  }

  function fetchJson(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + path);
        return r.json();
      });
    }
    return cache[path];
  }

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  function syllables(text) {
    return text.normalize("NFC").toLowerCase().match(/[\p{L}\p{M}\p{N}_]+/gu) || [];
  }

  // The query's folded syllable pairs, taken inside each clause as search.py does.
  function pairsOf(text) {
    var pairs = [];
    fold(text).split(CLAUSE).forEach(function (clause) {
      var folded = syllables(clause);
      for (var i = 0; i + 1 < folded.length; i++) pairs.push(folded[i] + " " + folded[i + 1]);
    });
    return Array.from(new Set(pairs));
  }

  // search.py: shard_group. A syllable's terms (dan, t:dan, x:dân) share a shard, as do a pair's;
  // a segment of them keeps its number (t:dan@7 -> dan@7).
  function shardGroup(term) {
    var at = term.indexOf("@");
    if (at >= 0) return shardGroup(term.slice(0, at)) + term.slice(at);
    var colon = term.indexOf(":");
    if (colon < 0) return term;
    var kind = term.slice(0, colon), rest = term.slice(colon + 1);
    if (kind === "x") return fold(rest);
    return ["t", "b", "h", "s"].indexOf(kind) >= 0 ? rest : term;
  }

  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  // Gap-encoded runs (search.py: encode_postings); a segment's gaps count from its first id, base.
  function decode(text, base) {
    var ids = [], prev = (base || 0) - 1;
    if (!text) return ids;
    text.split(",").forEach(function (item) {
      var parts = item.split("+");
      var start = prev + 1 + parseInt(parts[0], 36);
      var count = parts.length > 1 ? parseInt(parts[1], 36) : 0;
      for (var k = 0; k <= count; k++) ids.push(start + k);
      prev = start + count;
    });
    return ids;
  }

  // What a key holds: a rare term's ids, a common term's count ("*n"), the ids of a segment; "" for none.
  function lookup(key) {
    var shard = fnv1a(shardGroup(key)) % meta.shards;
    return fetchJson("t/" + shard + ".json").then(function (table) {
      // Only the shard's own keys: a query word such as "constructor" is not Object's.
      var value = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : "";
      return typeof value === "string" ? value : "";
    });
  }

  function isCount(value) {
    return value.charAt(0) === "*";
  }

  function option(select, value, label) {
    var o = document.createElement("option");
    o.value = value; o.textContent = label;
    select.appendChild(o);
  }

  function fillFilters(params) {
    meta.categories.forEach(function (c) { option(selects.muc, c[0], c[1]); });
    meta.years.forEach(function (y) { option(selects.nam, String(y), String(y)); });
    meta.units.forEach(function (u) { option(selects["don-vi"], u[0], u[1]); });
    Object.keys(selects).forEach(function (k) { selects[k].value = params.get(k) || ""; });
  }

  // Words found are marked; neighbours separated only by spaces share one mark, so a phrase reads as one.
  function highlight(node, text, words) {
    var parts = syllableSplit(text), open = null;
    function found(part) { return part && part.word && words.has(fold(part.text)); }
    parts.forEach(function (part, i) {
      var joins = open && !part.word && /^\s+$/.test(part.text) && found(parts[i + 1]);
      if (found(part) || joins) {
        if (!open) { open = document.createElement("mark"); node.appendChild(open); }
        open.textContent += part.text;
      } else {
        open = null;
        node.appendChild(document.createTextNode(part.text));
      }
    });
  }

  function syllableSplit(text) {
    var parts = [], re = /[\p{L}\p{M}\p{N}_]+/gu, last = 0, m;
    while ((m = re.exec(text))) {
      if (m.index > last) parts.push({ text: text.slice(last, m.index), word: false });
      parts.push({ text: m[0], word: true });
      last = m.index + m[0].length;
    }
    if (last < text.length) parts.push({ text: text.slice(last), word: false });
    return parts;
  }

  function search(params) {
    var mine = ++generation;
    var q = (params.get("q") || "").trim();
    input.value = q;
    list.innerHTML = "";
    looseList.innerHTML = "";
    looseSection.hidden = true;
    more.hidden = true;
    showLoose.hidden = true;
    if (olderButton) olderButton.hidden = true;
    if (!q) { status.textContent = say("prompt"); return; }
    var words = syllables(q);
    var folded = words.map(fold);
    if (!folded.length) { status.textContent = say("invalid"); return; }
    status.textContent = say("searching");
    var unique = Array.from(new Set(folded));
    var pairs = pairsOf(q);
    var exact = Array.from(new Set(words.filter(function (w) { return fold(w) !== w; }))).map(function (w) { return "x:" + w; });
    var filters = [];
    if (params.get("muc")) {
      var ci = meta.categories.findIndex(function (c) { return c[0] === params.get("muc"); });
      filters.push("c:" + ci);
    }
    var span = null;  // a year's ids, when the reader filters by year
    if (params.get("nam")) {  // only a year the site has (a crafted value could name a segment's key)
      var at = meta.years.indexOf(Number(params.get("nam")));
      filters.push("y:" + (at >= 0 ? String(meta.years[at]) : "none"));
      if (at >= 0 && meta.year_ids) span = meta.year_ids[at];
    }
    if (params.get("don-vi")) {
      var ui = meta.units.findIndex(function (u) { return u[0] === params.get("don-vi"); });
      filters.push("u:" + ui);
    }
    function prefixed(kind, items) { return items.map(function (p) { return kind + p; }); }
    var query = {
      q: q, unique: unique, pairs: pairs, exact: exact, filters: filters,
      inTitle: prefixed("t:", unique), anywhere: prefixed("b:", pairs),
      titlePairs: prefixed("h:", pairs), summaryPairs: prefixed("s:", pairs),
      newest: params.get("sap-xep") === "moi"
    };
    query.wanted = unique.concat(query.inTitle, query.anywhere, query.titlePairs, query.summaryPairs, exact, filters);
    query.required = unique.concat(filters);
    return Promise.all(query.wanted.map(lookup)).then(function (values) {
      if (mine !== generation) return;
      var terms = {};
      query.wanted.forEach(function (t, k) {
        var value = values[k];
        var ids = isCount(value) ? null : decode(value);  // a common term's ids come segment by segment
        terms[t] = { count: ids ? ids.length : parseInt(value.slice(1), 10), ids: ids, has: new Set(ids || []) };
      });
      current = {
        parts: [{ ids: [], shown: 0, list: list }, { ids: [], shown: 0, list: looseList }],
        words: new Set(folded), q: q, generation: mine, query: query, terms: terms,
        // The ids still to look through, from newest: that year's at once, or everything, newest segments first.
        from: span ? span[1] : meta.docs, floor: span ? span[0] : 0, year: Boolean(span)
      };
      return searchOlder(current).then(function () {
        if (mine !== generation) return;
        var phrase = current.parts[0].ids.length, loose = current.parts[1].ids.length;
        if (!phrase && !loose) {
          status.textContent = say("none", { query: q });
          return;
        }
        if (!phrase) looseSection.hidden = false;  // nothing better to show first
        return showMore().then(announce);  // announce once the first results are on the page
      });
    }).catch(function () {
      if (mine === generation) status.textContent = say("noIndex");
    });
  }

  // Search the next older segments (the newest two, the first time), and on until a page of results is
  // found or every article has been looked through. Each batch's matches are ranked among themselves and
  // follow those of the newer batches.
  function searchOlder(state) {
    var size = segmentSize();
    var found = 0;
    var query = state.query, terms = state.terms;
    // No word of the query is in segments: every match is known already, so rank the whole site at once;
    // a year's articles are ranked together too.
    var whole = state.year || query.wanted.every(function (t) { return terms[t].ids; });
    function step() {
      if (state.generation !== generation || !(state.from > state.floor) || found >= PAGE) return Promise.resolve();
      var last = Math.ceil(state.from / size) - 1;
      var first = whole ? Math.floor(state.floor / size) : Math.max(0, last - 1);
      var low = first * size, high = state.from;
      // A rare term that must be there tells where matches can be: only those segments are read.
      var narrow = null;
      query.required.forEach(function (t) {
        if (terms[t].ids && (!narrow || terms[t].ids.length < narrow.length)) narrow = terms[t].ids;
      });
      var numbers = [];
      for (var n = first; n <= last; n++) {
        if (!narrow || narrow.some(function (id) { return id >= n * size && id < (n + 1) * size; })) numbers.push(n);
      }
      var loads = [];
      query.wanted.forEach(function (t) {
        if (terms[t].ids) return;
        terms[t].segments = terms[t].segments || {};
        numbers.forEach(function (n) {
          loads.push(lookup(t + "@" + n).then(function (value) {
            var ids = decode(value, n * size);
            terms[t].segments[n] = ids;
            ids.forEach(function (id) { terms[t].has.add(id); });
          }));
        });
      });
      return Promise.all(loads).then(function () {
        if (state.generation !== generation) return;
        var start = narrow || [];
        if (!narrow) numbers.forEach(function (n) { start = start.concat(terms[query.required[0]].segments[n]); });
        var batch = start.filter(function (id) {
          return id >= low && id < high && query.required.every(function (t) { return terms[t].has.has(id); });
        });
        rank(state, batch);
        found += batch.length;
        state.from = Math.max(low, state.floor);
        return step();
      });
    }
    return step();
  }

  // Order one batch's matches and add them to the phrase and loose parts.
  function rank(state, batch) {
    var query = state.query, terms = state.terms;
    function hasAll(list, id) { return list.every(function (t) { return terms[t].has.has(id); }); }
    function idf(t) { return Math.log(1 + meta.docs / (1 + terms[t].count)); }
    // Where the phrase is: title, summary or body (a one-syllable query: title or not).
    function place(id) {
      if (!query.pairs.length) return hasAll(query.inTitle, id) ? TITLE : BODY;
      if (hasAll(query.titlePairs, id)) return TITLE;
      return hasAll(query.summaryPairs, id) ? SUMMARY : BODY;
    }
    var info = new Map();
    batch.forEach(function (id) {
      var titleScore = 0;  // rarer syllables in the title count more
      query.inTitle.forEach(function (t) { if (terms[t].has.has(id)) titleScore += idf(t); });
      info.set(id, {
        phrase: hasAll(query.anywhere, id),
        exact: query.exact.filter(function (t) { return terms[t].has.has(id); }).length,
        place: place(id),
        score: titleScore
      });
    });
    function order(a, b) {
      var x = info.get(a), y = info.get(b);
      if (query.newest) return b - a;  // ids: pages, then articles oldest first (search.py)
      // Accents typed exactly first, then phrase in title, summary, body; then title words, then newest.
      return y.exact - x.exact || x.place - y.place || y.score - x.score || b - a;
    }
    var phrase = batch.filter(function (id) { return info.get(id).phrase; }).sort(order);
    var loose = batch.filter(function (id) { return !info.get(id).phrase; }).sort(order);
    state.parts[0].ids = state.parts[0].ids.concat(phrase);
    state.parts[1].ids = state.parts[1].ids.concat(loose);
  }

  // Ids per segment (search.py: config.search_segment); an index without segments is one.
  function segmentSize() {
    var size = Number(meta.segment);
    return isFinite(size) && size >= 1 ? Math.floor(size) : Math.max(1, meta.docs);
  }

  // The counts found so far, and how far back the search has looked when it has not looked through all.
  function announce() {
    var state = current;
    if (state.generation !== generation) return;
    var text = summary(state.parts[0].ids.length, state.parts[1].ids.length, state.q);
    var since = sinceDate(state);
    if (since) text += " " + say("since", { date: since });
    status.textContent = text;
  }

  // The date of the oldest article looked through, while older ones are left ("" once all are).
  function sinceDate(state) {
    return state.from > state.floor && meta.since ? meta.since[Math.floor(state.from / segmentSize())] || "" : "";
  }

  function summary(phrase, loose, q) {
    if (!loose) return say("found", { articles: sayCount("articles", phrase), query: q });
    if (!phrase) return sayCount("onlyLoose", loose, { query: q });
    return say("foundBoth", { articles: sayCount("articles", phrase), query: q, loose: sayCount("loose", loose) });
  }

  // The next page of results: phrase matches first, loose ones once their section is open.
  function showMore() {
    var part = current.parts[0].shown < current.parts[0].ids.length || looseSection.hidden ? current.parts[0] : current.parts[1];
    var ids = part.ids.slice(part.shown, part.shown + PAGE);
    part.shown += ids.length;
    var chunks = Array.from(new Set(ids.map(function (id) { return Math.floor(id / meta.chunk); })));
    var mine = current.generation;
    return Promise.all(chunks.map(function (c) { return fetchJson("d/" + c + ".json"); })).then(function (loaded) {
      if (mine !== generation) return;
      var docs = {};
      chunks.forEach(function (c, k) { docs[c] = loaded[k]; });
      ids.forEach(function (id) {
        part.list.appendChild(result(docs[Math.floor(id / meta.chunk)][id % meta.chunk], part.list === looseList));
      });
      updateButtons();
    });
  }

  function updateButtons() {
    var phrase = current.parts[0], loose = current.parts[1];
    var phraseLeft = phrase.shown < phrase.ids.length;
    more.hidden = !(phraseLeft || (!looseSection.hidden && loose.shown < loose.ids.length));
    showLoose.hidden = phraseLeft || !looseSection.hidden || !loose.ids.length;
    showLoose.textContent = sayCount("showLoose", loose.ids.length);
    if (olderButton) {
      olderButton.hidden = phraseLeft || !(current.from > current.floor);
      var since = olderButton.hidden ? "" : sinceDate(current);
      if (since && texts.older) olderButton.textContent = say("older", { date: since });  // else the page's own words
    }
  }

  function result(d, loose) {
    var li = document.createElement("li");
    li.className = loose ? "search-result search-result-loose" : "search-result";
    var h = document.createElement(loose ? "h3" : "h2");
    h.className = "search-result-title";
    var a = document.createElement("a");
    a.href = d[0];
    highlight(a, d[1], current.words);
    h.appendChild(a);
    var info = document.createElement("p");
    info.className = "meta";
    var parts = [];  // a page (content/pages/) has no date and no category
    if (d[2]) parts.push(d[2]);
    if (d[3] >= 0) parts.push(meta.categories[d[3]][1]);
    if (d[4] >= 0) parts.push(meta.units[d[4]][1]);
    info.textContent = parts.join(" · ");
    var excerpt = document.createElement("p");
    excerpt.className = "summary";
    highlight(excerpt, d[5], current.words);
    li.appendChild(h); li.appendChild(info); li.appendChild(excerpt);
    return li;
  }

  more.addEventListener("click", showMore);
  if (olderButton) {
    olderButton.addEventListener("click", function () {
      var state = current;
      olderButton.hidden = true;
      status.textContent = say("searching");
      var before = state.parts[0].ids.length;
      searchOlder(state).then(function () {
        if (state.generation !== generation) return;
        if (!state.parts[0].ids.length && state.parts[1].ids.length) looseSection.hidden = false;  // as at first
        return showMore().then(function () {
          if (state.generation !== generation) return;  // a newer search has the page (and the focus) now
          announce();
          // Keep the reader's place: the first older result, else what is there to press next.
          var first = state.parts[0].list.children[before];
          var next = first ? first.querySelector("a") : [looseSection.hidden ? null : looseTitle, showLoose, more, olderButton]
            .filter(function (e) { return e && !e.hidden; })[0];
          (next || input).focus();
        });
      }).catch(function () {
        if (state.generation === generation) status.textContent = say("noIndex");
      });
    });
  }
  showLoose.addEventListener("click", function () {
    looseSection.hidden = false;
    showLoose.hidden = true;
    showMore().then(function () { looseTitle.focus(); });  // the button is gone: keep the reader's place
  });
  Object.keys(selects).forEach(function (k) {
    selects[k].addEventListener("change", function () { form.requestSubmit(); });
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var params = new URLSearchParams(new FormData(form));
    Array.from(params.keys()).forEach(function (k) { if (!params.get(k)) params.delete(k); });
    history.replaceState(null, "", "?" + params.toString());
    search(params);
  });

  var params = new URLSearchParams(location.search);
  fetchJson("meta.json").then(function (m) {
    meta = m;
    fillFilters(params);
    search(params);
  }).catch(function () {
    status.textContent = say("noIndexBuilt");
  });
})();
