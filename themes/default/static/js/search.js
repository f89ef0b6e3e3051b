// newsroom search: queries the static index written by newsroom/search.py, in the browser.
// Folding, syllables, clause marks, shard groups and the FNV-1a hash must match search.py exactly.
// Results come in two parts: phrase matches (the query's syllables side by side, in title, summary
// or body), then, only when the reader asks or when there is no phrase match, the loose matches
// (every syllable present but scattered) under their own heading.
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

  // search.py: shard_group. A syllable's terms (dan, t:dan, x:dân) share a shard, as do a pair's.
  function shardGroup(term) {
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

  function decode(text) {
    var ids = [], prev = -1;
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

  function postings(term) {
    var shard = fnv1a(shardGroup(term)) % meta.shards;
    return fetchJson("t/" + shard + ".json").then(function (table) {
      return decode(table[term] || "");
    });
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
    if (params.get("nam")) filters.push("y:" + params.get("nam"));
    if (params.get("don-vi")) {
      var ui = meta.units.findIndex(function (u) { return u[0] === params.get("don-vi"); });
      filters.push("u:" + ui);
    }
    function prefixed(kind, items) { return items.map(function (p) { return kind + p; }); }
    var inTitle = prefixed("t:", unique), anywhere = prefixed("b:", pairs);
    var titlePairs = prefixed("h:", pairs), summaryPairs = prefixed("s:", pairs);
    var wanted = unique.concat(inTitle, anywhere, titlePairs, summaryPairs, exact, filters);
    return Promise.all(wanted.map(postings)).then(function (lists) {
      if (mine !== generation) return;
      var byTerm = {};
      wanted.forEach(function (t, k) { byTerm[t] = new Set(lists[k]); });
      function hasAll(terms, id) { return terms.every(function (t) { return byTerm[t].has(id); }); }
      var required = unique.concat(filters);
      var candidates = lists[0].filter(function (id) { return hasAll(required, id); });
      var n = meta.docs;
      function idf(t) { return Math.log(1 + n / (1 + byTerm[t].size)); }
      // Where the phrase is: title, summary or body (a one-syllable query: title or not).
      function place(id) {
        if (!pairs.length) return hasAll(inTitle, id) ? TITLE : BODY;
        if (hasAll(titlePairs, id)) return TITLE;
        return hasAll(summaryPairs, id) ? SUMMARY : BODY;
      }
      var info = new Map();
      candidates.forEach(function (id) {
        var titleScore = 0;  // rarer syllables in the title count more
        inTitle.forEach(function (t) { if (byTerm[t].has(id)) titleScore += idf(t); });
        info.set(id, {
          phrase: hasAll(anywhere, id),
          exact: exact.filter(function (t) { return byTerm[t].has(id); }).length,
          place: place(id),
          score: titleScore
        });
      });
      var newest = params.get("sap-xep") === "moi";
      function order(a, b) {
        var x = info.get(a), y = info.get(b);
        if (newest) return b - a;  // ids: pages, then articles oldest first (search.py)
        // Accents typed exactly first, then phrase in title, summary, body; then title words, then newest.
        return y.exact - x.exact || x.place - y.place || y.score - x.score || b - a;
      }
      var phrase = candidates.filter(function (id) { return info.get(id).phrase; }).sort(order);
      var loose = candidates.filter(function (id) { return !info.get(id).phrase; }).sort(order);
      current = {
        parts: [{ ids: phrase, shown: 0, list: list }, { ids: loose, shown: 0, list: looseList }],
        words: new Set(folded), q: q, generation: mine
      };
      if (!candidates.length) {
        status.textContent = say("none", { query: q });
        return;
      }
      if (!phrase.length) looseSection.hidden = false;  // nothing better to show first
      return showMore().then(function () {  // announce once the first results are on the page
        if (mine === generation) status.textContent = summary(phrase.length, loose.length, q);
      });
    }).catch(function () {
      if (mine === generation) status.textContent = say("noIndex");
    });
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
