// newsroom search: queries the static index written by newsroom/search.py, in the browser.
// Folding, syllables and the FNV-1a shard hash must match search.py exactly.
(function () {
  "use strict";
  var form = document.querySelector(".search-form");
  if (!form) return;
  var base = form.getAttribute("data-index");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var selects = {
    muc: document.getElementById("search-muc"),
    nam: document.getElementById("search-nam"),
    "don-vi": document.getElementById("search-don-vi"),
    "sap-xep": document.getElementById("search-sap-xep")
  };
  var PAGE = 10;
  var cache = {};
  var meta = null;
  var current = null;
  var generation = 0;  // a newer search makes older, slower ones drop their results

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
    var shard = fnv1a(term) % meta.shards;
    return fetchJson("t/" + shard + ".json").then(function (table) {
      return decode(table[term] || "");
    });
  }

  function intersect(a, b) {
    var set = new Set(b);
    return a.filter(function (x) { return set.has(x); });
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

  function highlight(node, text, words) {
    syllableSplit(text).forEach(function (part) {
      if (part.word && words.has(fold(part.text))) {
        var mark = document.createElement("mark");
        mark.textContent = part.text;
        node.appendChild(mark);
      } else {
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
    more.hidden = true;
    if (!q) { status.textContent = "Nhập từ khóa để tìm bài viết."; return; }
    var words = syllables(q);
    var folded = words.map(fold);
    if (!folded.length) { status.textContent = "Từ khóa không hợp lệ."; return; }
    status.textContent = "Đang tìm…";
    var unique = Array.from(new Set(folded));
    var bigrams = [];
    for (var i = 0; i + 1 < folded.length; i++) bigrams.push("b:" + folded[i] + " " + folded[i + 1]);
    var exact = words.filter(function (w) { return fold(w) !== w; }).map(function (w) { return "x:" + w; });
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
    var wanted = unique.concat(unique.map(function (t) { return "t:" + t; }), bigrams, exact, filters);
    return Promise.all(wanted.map(postings)).then(function (lists) {
      if (mine !== generation) return;
      var byTerm = {};
      wanted.forEach(function (t, k) { byTerm[t] = lists[k]; });
      var candidates = byTerm[unique[0]];
      unique.slice(1).forEach(function (t) { candidates = intersect(candidates, byTerm[t]); });
      filters.forEach(function (t) { candidates = intersect(candidates, byTerm[t]); });
      var n = meta.docs;
      function idf(t) { return Math.log(1 + n / (1 + byTerm[t].length)); }
      var score = new Map();
      candidates.forEach(function (id) { score.set(id, 0); });
      function add(t, weight) {
        var w = weight * idf(t);
        byTerm[t].forEach(function (id) { if (score.has(id)) score.set(id, score.get(id) + w); });
      }
      unique.forEach(function (t) { add(t, 1); add("t:" + t, 3); });
      bigrams.forEach(function (t) { add(t, 4); });
      exact.forEach(function (t) { add(t, 2); });
      var ranked = candidates.slice();
      if (params.get("sap-xep") === "moi") {
        ranked.sort(function (a, b) { return a - b; });
      } else {
        ranked.sort(function (a, b) { return score.get(b) - score.get(a) || a - b; });
      }
      current = { ranked: ranked, shown: 0, words: new Set(folded), q: q, generation: mine };
      if (!ranked.length) {
        status.textContent = "Không tìm thấy bài viết nào cho “" + q + "”. Hãy thử từ khóa khác, ít chữ hơn, hoặc bỏ bớt bộ lọc.";
        return;
      }
      return showMore().then(function () {  // announce once the first results are on the page
        if (mine === generation) status.textContent = "Tìm thấy " + ranked.length + " bài viết cho “" + q + "”.";
      });
    }).catch(function () {
      if (mine === generation) status.textContent = "Chưa có chỉ mục tìm kiếm cho trang này.";
    });
  }

  function showMore() {
    var ids = current.ranked.slice(current.shown, current.shown + PAGE);
    current.shown += ids.length;
    var chunks = Array.from(new Set(ids.map(function (id) { return Math.floor(id / meta.chunk); })));
    var mine = current.generation;
    return Promise.all(chunks.map(function (c) { return fetchJson("d/" + c + ".json"); })).then(function (loaded) {
      if (mine !== generation) return;
      var docs = {};
      chunks.forEach(function (c, k) { docs[c] = loaded[k]; });
      ids.forEach(function (id) {
        var d = docs[Math.floor(id / meta.chunk)][id % meta.chunk];
        var li = document.createElement("li");
        li.className = "search-result";
        var h = document.createElement("h2");
        var a = document.createElement("a");
        a.href = d[0];
        highlight(a, d[1], current.words);
        h.appendChild(a);
        var info = document.createElement("p");
        info.className = "meta";
        info.textContent = d[2] + " · " + meta.categories[d[3]][1] + (d[4] >= 0 ? " · " + meta.units[d[4]][1] : "");
        var excerpt = document.createElement("p");
        excerpt.className = "summary";
        highlight(excerpt, d[5], current.words);
        li.appendChild(h); li.appendChild(info); li.appendChild(excerpt);
        list.appendChild(li);
      });
      more.hidden = current.shown >= current.ranked.length;
    });
  }

  more.addEventListener("click", showMore);
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
    status.textContent = "Chưa có chỉ mục tìm kiếm cho trang này (trang được dựng với --no-search).";
  });
})();
