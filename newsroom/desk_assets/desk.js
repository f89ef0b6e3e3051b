// The desk (Bàn biên tập): list, edit, preview, save. Talks only to /_desk/api/.
(function () {
  "use strict";
  var TOKEN = document.querySelector('meta[name="csrf-token"]').content;
  var app = document.getElementById("app");
  var modal = document.getElementById("modal");
  var site = null;        // the last /api/list answer
  var editor = null;      // the open editor's state
  // The desk's words in its language (desk.py's UI_TEXTS, from the catalogue): t("key", {name: value}).
  // A plural text comes as its forms for 1 and for other counts; t() picks one by values.n.
  var TEXTS = JSON.parse(document.getElementById("desk-texts").textContent);
  function t(key, values) {
    var text = TEXTS[key];
    if (typeof text !== "string") text = text[values && values.n === 1 ? 0 : 1];
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && values[name] !== undefined ? String(values[name]) : whole;
    });
  }
  var STATUS = { published: t("status_published"), draft: t("status_draft"), scheduled: t("status_scheduled"),
                 error: t("status_error") };
  var PREVIEW_DELAY = 300;

  // --- small helpers ------------------------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
      else if (key === "value") node.value = value;
      else if (key === "checked") node.checked = !!value;
      else node.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function api(method, path, body, headers) {
    var options = { method: method, headers: Object.assign({ "X-CSRF-Token": TOKEN }, headers || {}), credentials: "same-origin" };
    if (body !== undefined) {
      if (body instanceof Blob) options.body = body;
      else { options.body = JSON.stringify(body); options.headers["Content-Type"] = "application/json"; }
    }
    // The server stopped (Ctrl-C, the computer went to sleep): the browser's own reason is English
    // ("Failed to fetch"), so the promise fails with the desk's words instead.
    function unreachable() { throw new Error(t("server_gone")); }
    return fetch("/_desk/api/" + path, options).then(function (response) {
      return response.text().then(function (text) {
        var data;
        try { data = JSON.parse(text); } catch (e) { data = { error: text || response.statusText }; }
        data.status = response.status;
        return data;
      }, unreachable);
    }, unreachable);
  }
  // A failed request's reason in an editor's note (saving, deleting, uploading), never "Saving…" forever.
  function noteFailure(state, note) {
    return function (error) {
      if (state !== editor) return;
      note.textContent = error.message || String(error);
      note.className = "note bad";
    };
  }
  function query(name) {
    var match = location.hash.match(new RegExp("[?&]" + name + "=([^&]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }
  function dirname(path) { return path.slice(0, path.lastIndexOf("/")); }
  function relpath(target, fromFolder) {
    var a = fromFolder.split("/"), b = target.split("/");
    var i = 0;
    while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
    var up = a.slice(i).map(function () { return ".."; });
    return up.concat(b.slice(i)).join("/");
  }
  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  function encodePath(path) { return path.split("/").map(encodeURIComponent).join("/"); }

  function openModal(content, wide) {
    var box = modal.querySelector(".modal-box");
    box.className = "modal-box" + (wide ? " wide" : "");
    box.innerHTML = "";
    box.appendChild(content);
    modal.hidden = false;
    var first = box.querySelector("input, textarea, button");
    if (first) first.focus();
  }
  function closeModal() { modal.hidden = true; modal.querySelector(".modal-box").innerHTML = ""; }
  modal.addEventListener("click", function (event) { if (event.target === modal) closeModal(); });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape" && !modal.hidden) closeModal(); });

  // --- routing ------------------------------------------------------------------------------------
  function route() {
    if (editor && editor.dirty && editor.route !== location.hash) {
      if (!confirm(t("leave_unsaved"))) {
        history.replaceState(null, "", editor.route);
        return;
      }
    }
    editor = null;
    var hash = location.hash || "#/";
    if (hash.indexOf("#/edit") === 0) return showEditor(query("path"), null);
    if (hash.indexOf("#/new") === 0) return showEditor("", query("kind") === "page" ? "page" : "article");
    if (hash.indexOf("#/trash") === 0) return showTrash();
    return showList();
  }
  window.addEventListener("hashchange", route);
  window.addEventListener("beforeunload", function (event) {
    if (editor && editor.dirty) { event.preventDefault(); event.returnValue = ""; }
  });

  function loadSite() {
    return api("GET", "list").then(function (data) {
      if (data.error) throw new Error(data.error);
      site = data;
      return data;
    });
  }
  function failed(error) {
    app.innerHTML = "";
    app.appendChild(el("div", { class: "empty" }, [el("p", { text: t("load_failed", { problem: error.message || error }) })]));
  }

  // --- list ---------------------------------------------------------------------------------------
  function showList() {
    loadSite().then(renderList, failed);
  }
  function options(values, all) {
    return [el("option", { value: "", text: all })].concat(values.map(function (v) { return el("option", { value: v, text: v }); }));
  }
  function renderList() {
    var filters = {
      q: el("input", { type: "search", name: "q", placeholder: t("search_title"), "aria-label": t("search_title_label") }),
      category: el("select", { name: "category", "aria-label": t("category") }, options(site.categories, t("all_categories"))),
      status: el("select", { name: "status", "aria-label": t("status") }, options([], t("all_statuses")).concat(
        Object.keys(STATUS).map(function (k) { return el("option", { value: k, text: STATUS[k] }); }))),
      author: el("select", { name: "author", "aria-label": t("author") }, options(site.authors, t("all_authors"))),
      kind: el("select", { name: "kind", "aria-label": t("kind") }, [
        el("option", { value: "", text: t("articles_and_pages") }),
        el("option", { value: "article", text: t("nav_articles") }),
        el("option", { value: "page", text: t("pages") })])
    };
    var tbody = el("tbody");
    var count = el("span", { class: "muted" });
    function draw() {
      var q = fold(filters.q.value.trim());
      var shown = site.items.filter(function (item) {
        return (!q || fold(item.title).indexOf(q) >= 0) &&
          (!filters.category.value || item.category === filters.category.value) &&
          (!filters.status.value || item.status === filters.status.value) &&
          (!filters.author.value || item.author === filters.author.value) &&
          (!filters.kind.value || item.kind === filters.kind.value);
      });
      tbody.innerHTML = "";
      shown.slice(0, 500).forEach(function (item) {
        var label = STATUS[item.status] + (item.status === "scheduled" ? " " + item.date : "") +
          (item.errors ? " (" + item.errors + ")" : "");
        var href = "#/edit?path=" + encodeURIComponent(item.path);
        tbody.appendChild(el("tr", { class: "row", "data-path": item.path, onclick: function (event) {
          if (event.target.tagName !== "A") location.hash = href;
        } }, [
          el("td", { class: "title" }, [el("a", { href: href, text: item.title }),
            item.kind === "page" ? el("span", { class: "muted", text: t("page_mark") }) : null]),
          el("td", { class: "meta", text: item.category || "—" }),
          el("td", { class: "meta", text: item.date || "" }),
          el("td", { class: "meta", text: item.author || "" }),
          el("td", {}, [el("span", { class: "status " + item.status, text: label })])
        ]));
      });
      count.textContent = t("count", { shown: shown.length, n: site.items.length });
      if (!shown.length) tbody.appendChild(el("tr", {}, [el("td", { colspan: "5", class: "empty", text: t("no_match") })]));
    }
    Object.keys(filters).forEach(function (key) { filters[key].addEventListener("input", draw); });
    app.innerHTML = "";
    app.appendChild(el("div", { class: "list-head" }, [
      el("h1", { text: site.site_title }),
      count,
      el("a", { class: "button", href: "#/new?kind=page", text: t("new_page") }),
      el("a", { class: "button primary", href: "#/new", text: t("new_article"), "data-action": "new" })
    ]));
    app.appendChild(el("div", { class: "filters" }, [
      el("div", { class: "search" }, [filters.q]), filters.category, filters.status, filters.author, filters.kind]));
    app.appendChild(el("table", { class: "items" }, [
      el("thead", {}, [el("tr", {}, [t("col_title"), t("category"), t("col_date"), t("author"), t("status")].map(function (h) {
        return el("th", { text: h });
      }))]), tbody]));
    draw();
    filters.q.focus();
  }

  // --- editor -------------------------------------------------------------------------------------
  function showEditor(path, kind) {
    var loading = path ? api("GET", "article?path=" + encodeURIComponent(path)) : Promise.resolve(null);
    Promise.all([loadSite(), loading]).then(function (results) {
      var data = results[1];
      if (data && data.error) throw new Error(data.error);
      renderEditor(data || blank(kind));
    }).catch(failed);
  }
  function blank(kind) {
    var values = kind === "page"
      ? { title: "", summary: "", updated: "", image: "", order: "", draft: true }
      : { title: "", category: site.categories[0] || "", date: site.now, updated: "", author: "", source_unit: "",
          tags: [], summary: "", slug: "", image: "", featured: false, draft: true };
    return { path: "", kind: kind, folder: kind === "page" ? "content/pages" : "", hash: "", raw: false, values: values,
             body: "", problems: [], url: "" };
  }

  function renderEditor(data) {
    var state = editor = {
      path: data.path, kind: data.kind, folder: data.folder, hash: data.hash, raw: data.raw, dirty: false,
      timer: null, sequence: 0, route: location.hash, url: data.url
    };
    var form = el("form", { class: "form", novalidate: true, onsubmit: function (e) { e.preventDefault(); save(false); } });
    var general = el("ul", { class: "problems general", "data-field": "general" });
    form.appendChild(general);
    state.general = general;

    if (data.raw) {
      form.appendChild(el("p", { class: "muted", text: t("raw_note") }));
      form.appendChild(field("raw", t("whole_file"), el("textarea", { name: "raw", value: data.text, spellcheck: "false" })));
    } else if (data.kind === "page") {
      var v = data.values;
      form.appendChild(field("title", t("f_title"), el("input", { name: "title", value: v.title, required: true })));
      form.appendChild(field("summary", t("f_summary"), el("textarea", { name: "summary", rows: "2", value: v.summary })));
      form.appendChild(el("div", { class: "row2" }, [
        field("order", t("f_order"), el("input", { name: "order", inputmode: "numeric", value: String(v.order || "") })),
        field("image", t("f_image"), el("input", { name: "image", value: v.image }))]));
      form.appendChild(dateField("updated", t("f_updated"), v.updated));
      form.appendChild(el("div", { class: "field checks" }, [check("draft", t("f_draft"), v.draft)]));
      form.appendChild(bodyField(data.body));
    } else {
      var a = data.values;
      form.appendChild(field("title", t("f_title"), el("input", { name: "title", value: a.title, required: true })));
      var select = el("select", { name: "category" }, site.categories.map(function (c) { return el("option", { value: c, text: c }); }));
      if (a.category && site.categories.indexOf(a.category) < 0) select.appendChild(el("option", { value: a.category, text: t("not_declared", { name: a.category }) }));
      select.value = a.category;
      form.appendChild(field("category", t("f_category"), select));
      form.appendChild(dateField("date", t("f_date"), a.date));
      form.appendChild(el("div", { class: "row2" }, [
        field("author", t("f_author"), el("input", { name: "author", list: "dl-authors", value: a.author })),
        field("source_unit", t("f_source_unit"), el("input", { name: "source_unit", list: "dl-units", value: a.source_unit }))]));
      form.appendChild(datalist("dl-authors", site.authors));
      form.appendChild(datalist("dl-units", site.source_units));
      form.appendChild(datalist("dl-tags", site.tags));
      form.appendChild(field("tags", t("f_tags"), chips(a.tags)));
      form.appendChild(field("summary", t("f_summary"), el("textarea", { name: "summary", rows: "3", value: a.summary })));
      form.appendChild(el("div", { class: "field checks" }, [check("featured", t("f_featured"), a.featured),
        check("draft", t("f_draft"), a.draft)]));
      form.appendChild(el("details", { class: "more" }, [el("summary", { text: t("more_fields") }),
        dateField("updated", t("f_updated"), a.updated),
        field("slug", t("f_slug"), el("input", { name: "slug", value: a.slug, placeholder: t("slug_placeholder") })),
        field("image", t("f_image"), el("input", { name: "image", value: a.image, placeholder: t("image_placeholder") }))]));
      form.appendChild(bodyField(data.body));
    }
    var note = el("span", { class: "note", role: "status" });
    state.note = note;
    form.appendChild(el("div", { class: "savebar" }, [
      el("button", { type: "submit", name: "save", class: "primary", text: t("save") }),
      data.path ? el("button", { type: "button", name: "delete", class: "danger", text: t("delete"), onclick: remove }) : null,
      state.url ? el("a", { class: "button", href: "/" + state.url, target: "_blank", rel: "noopener", text: t("view_on_site") }) : null,
      note]));

    var frame = el("iframe", { title: t("preview"), sandbox: "allow-same-origin", name: "preview" });
    var paneNote = el("div", { class: "pane-note", text: t("preview_note") });
    state.frame = frame;
    state.paneNote = paneNote;
    var layout = el("div", { class: "editor", "data-tab": "write" }, [form, el("div", { class: "pane" }, [paneNote, frame])]);
    var tabs = el("div", { class: "tabs", role: "tablist" }, [
      el("button", { type: "button", role: "tab", "aria-selected": "true", "data-tab": "write", text: t("tab_write") }),
      el("button", { type: "button", role: "tab", "aria-selected": "false", "data-tab": "preview", text: t("preview") })]);
    tabs.addEventListener("click", function (event) {
      var tab = event.target.getAttribute("data-tab");
      if (!tab) return;
      layout.setAttribute("data-tab", tab);
      tabs.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-selected", String(b === event.target)); });
    });
    app.innerHTML = "";
    app.appendChild(el("div", { class: "editor-head" }, [
      el("h1", { text: data.path ? (data.kind === "page" ? t("edit_page") : t("edit_article")) : (data.kind === "page" ? t("new_page") : t("new_article")) }),
      el("span", { class: "muted path", text: data.path || "" }),
      el("a", { class: "button", href: "#/", text: t("back_to_list") })]));
    app.appendChild(tabs);
    app.appendChild(layout);
    state.form = form;
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    showProblems(data.problems || []);
    preview();
  }

  function field(name, label, input) {
    var box = el("div", { class: "field", "data-field": name }, [el("label", {}, [label, input])]);
    box.appendChild(el("ul", { class: "problems" }));
    return box;
  }
  function check(name, label, value) {
    var box = el("label", { "data-field": name }, [el("input", { type: "checkbox", name: name, checked: value }), label]);
    return box;
  }
  function datalist(id, values) {
    return el("datalist", { id: id }, values.map(function (v) { return el("option", { value: v }); }));
  }
  function dateField(name, label, value) {
    if (value && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) {
      // Written in the file in a way the pickers cannot show: kept as typed until it is corrected.
      return el("div", { class: "field", "data-field": name }, [
        el("label", {}, [label, el("input", { type: "text", name: name, value: value, placeholder: "2024-05-01 08:00" })]),
        el("ul", { class: "problems" })]);
    }
    var parts = value ? value.split("T") : ["", ""];
    return el("div", { class: "field", "data-field": name }, [
      el("label", { text: label }),
      el("div", { class: "row2" }, [
        el("input", { type: "date", name: name, value: parts[0], "aria-label": t("date_day", { label: label }) }),
        el("input", { type: "time", name: name + "_time", value: parts[1], "aria-label": t("date_time", { label: label }) })]),
      el("ul", { class: "problems" })]);
  }
  function chips(values) {
    var list = values.slice();
    var box = el("div", { class: "chips", "data-name": "tags" });
    var input = el("input", { name: "tags", list: "dl-tags", placeholder: t("tags_placeholder"), "aria-label": t("tags") });
    function draw() {
      box.querySelectorAll(".chip").forEach(function (c) { c.remove(); });
      list.forEach(function (tag, index) {
        box.insertBefore(el("span", { class: "chip", "data-tag": tag }, [tag, el("button", { type: "button", "aria-label": t("remove_tag", { tag: tag }), text: "×",
          onclick: function () { list.splice(index, 1); draw(); changed(); } })]), input);
      });
    }
    function add() {
      input.value.split(",").forEach(function (part) {
        var tag = part.trim();
        if (tag && list.indexOf(tag) < 0) list.push(tag);
      });
      input.value = "";
      draw();
      changed();
    }
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === ",") { event.preventDefault(); add(); }
    });
    input.addEventListener("change", function () { if (input.value.trim()) add(); });
    box.appendChild(input);
    box.tags = function () { return list.concat(input.value.trim() ? [input.value.trim()] : []); };
    draw();
    return box;
  }
  function bodyField(body) {
    var area = el("textarea", { name: "body", value: body, spellcheck: "true", "aria-label": t("body_aria") });
    var picker = el("input", { type: "file", name: "photo", accept: "image/jpeg,image/png,image/webp,image/gif,image/svg+xml,.pdf,.doc,.docx,.xls,.xlsx,.odt,.ods,.zip", hidden: true, multiple: true });
    picker.addEventListener("change", function () { Array.prototype.forEach.call(picker.files, upload); picker.value = ""; });
    function wrap(before, after, placeholder) {
      return function () {
        var start = area.selectionStart, end = area.selectionEnd;
        var text = area.value.slice(start, end) || placeholder;
        insert(before + text + after, start, end);
      };
    }
    function prefix(mark) {
      return function () {
        var start = area.value.lastIndexOf("\n", area.selectionStart - 1) + 1;
        area.setSelectionRange(start, start);
        insert(mark, start, start);
      };
    }
    var bar = el("div", { class: "toolbar", role: "toolbar", "aria-label": t("formatting") }, [
      el("button", { type: "button", title: t("bold"), "data-tool": "bold", onclick: wrap("**", "**", t("bold_text")) }, [el("b", { text: "B" })]),
      el("button", { type: "button", title: t("italic"), "data-tool": "italic", onclick: wrap("*", "*", t("italic_text")) }, [el("i", { text: "I" })]),
      el("button", { type: "button", title: t("heading"), "data-tool": "heading", onclick: prefix("## "), text: "H" }),
      el("button", { type: "button", title: t("list"), "data-tool": "list", onclick: prefix("- "), text: t("list_button") }),
      el("button", { type: "button", title: t("quote"), "data-tool": "quote", onclick: prefix("> "), text: t("quote_button") }),
      el("button", { type: "button", title: t("web_link"), "data-tool": "link", onclick: wrap("[", "](https://)", t("link_text")), text: t("link_button") }),
      el("button", { type: "button", title: t("article_link"), "data-tool": "article-link", onclick: linkPicker, text: t("article_link_button") }),
      el("button", { type: "button", title: t("insert_file"), "data-tool": "picture", onclick: function () { picker.click(); }, text: t("picture_button") }),
      picker]);
    area.addEventListener("dragover", function (event) { event.preventDefault(); area.classList.add("dragging"); });
    area.addEventListener("dragleave", function () { area.classList.remove("dragging"); });
    area.addEventListener("drop", function (event) {
      event.preventDefault();
      area.classList.remove("dragging");
      Array.prototype.forEach.call(event.dataTransfer.files || [], upload);
    });
    area.id = "body-area";
    return el("div", { class: "field", "data-field": "body" }, [
      el("label", { for: "body-area", text: t("body_label") }), bar, area,
      el("ul", { class: "problems" })]);
  }
  function bodyArea() { return editor.form.querySelector("textarea[name=body]"); }
  function insert(text, start, end) {
    var area = bodyArea();
    area.focus();
    area.setRangeText(text, start, end, "end");
    changed();
  }

  // --- the form as values ---------------------------------------------------------------------------
  function value(name) {
    var input = editor.form.querySelector("[name=" + name + "]");
    return input ? input.value : "";
  }
  function dateValue(name) {
    var input = editor.form.querySelector("[name=" + name + "]");
    if (input && input.type === "text") return input.value.trim();
    var day = value(name), time = value(name + "_time");
    return day ? day + "T" + (time || "00:00") : "";
  }
  function collect() {
    var form = editor.form;
    if (editor.raw) return { raw: value("raw") };
    var values;
    if (editor.kind === "page") {
      values = { title: value("title"), summary: value("summary"), order: value("order"), image: value("image"),
                 updated: dateValue("updated"), draft: form.querySelector("[name=draft]").checked };
    } else {
      values = { title: value("title"), category: value("category"), date: dateValue("date"), updated: dateValue("updated"),
                 author: value("author"), source_unit: value("source_unit"), tags: form.querySelector(".chips").tags(),
                 summary: value("summary"), slug: value("slug"), image: value("image"),
                 featured: form.querySelector("[name=featured]").checked, draft: form.querySelector("[name=draft]").checked };
    }
    return { values: values, body: value("body") };
  }
  function request(extra) {
    var body = Object.assign(collect(), { path: editor.path || null, kind: editor.kind, folder: folder(), hash: editor.hash }, extra || {});
    return body;
  }
  function folder(settle) {
    // A new article goes in content/<year of its date>/; the folder is settled by its first photo
    // or its first save, so that its photos and the article stay side by side.
    if (editor.path) return dirname(editor.path);
    if (editor.kind === "page") return "content/pages";
    if (editor.folder) return editor.folder;
    var chosen = "content/" + (dateValue("date") || site.now).slice(0, 4);
    if (settle) editor.folder = chosen;
    return chosen;
  }

  function changed() {
    if (!editor) return;
    editor.dirty = true;
    editor.note.textContent = t("unsaved");
    editor.note.className = "note";
    clearTimeout(editor.timer);
    editor.timer = setTimeout(preview, PREVIEW_DELAY);
  }

  // --- preview ------------------------------------------------------------------------------------
  function preview() {
    var state = editor;
    if (!state) return;  // the editor was closed (saved, deleted) before its preview timer fired
    var number = ++state.sequence;
    var started = performance.now();
    api("POST", "preview", request()).then(function (data) {
      if (state !== editor || number !== state.sequence) return;  // a newer one is on its way
      if (data.error) { state.paneNote.textContent = data.error; return; }
      showProblems(data.problems);
      if (data.html === null) {
        state.paneNote.textContent = t("cannot_preview");
        return;
      }
      var frame = state.frame;
      var y = 0;
      try { y = frame.contentWindow.scrollY; } catch (e) { y = 0; }
      frame.onload = function () {
        try { frame.contentWindow.scrollTo(0, y); } catch (e) { /* opaque */ }
        state.paneNote.textContent = t("preview_note");
        window.__deskPreviewMs = performance.now() - started;
        document.body.setAttribute("data-preview", String(number));
      };
      frame.srcdoc = data.html;
    }).catch(function (error) {
      if (state === editor) state.paneNote.textContent = error.message || String(error);
    });
  }

  function showProblems(problems) {
    var form = editor.form;
    form.querySelectorAll("ul.problems").forEach(function (list) { list.innerHTML = ""; });
    form.querySelectorAll(".has-error").forEach(function (f) { f.classList.remove("has-error"); });
    problems.forEach(function (problem) {
      var box = form.querySelector('.field[data-field="' + problem.field + '"]') ||
        (editor.raw ? form.querySelector('.field[data-field="raw"]') : null);
      var list = box ? box.querySelector("ul.problems") : editor.general;
      var where = problem.body_line ? t("line", { line: problem.body_line }) : (box || !problem.line ? "" : t("line", { line: problem.line }));
      list.appendChild(el("li", { class: problem.severity, "data-severity": problem.severity }, [
        where + problem.message, problem.hint ? el("span", { class: "hint", text: t("hint", { hint: problem.hint }) }) : null]));
      if (box && problem.severity === "error") box.classList.add("has-error");
    });
  }

  // --- saving -------------------------------------------------------------------------------------
  function save(overwrite) {
    var state = editor;
    var body = request(overwrite ? { hash: overwrite } : { folder: folder(true) });
    state.note.textContent = t("saving");
    state.note.className = "note";
    return api("POST", "save", body).then(function (data) {
      if (state !== editor) return;
      if (data.status === 409) return conflict(data);
      if (data.error) {
        state.note.textContent = data.error;
        state.note.className = "note bad";
        if (data.problems) showProblems(data.problems);
        return;
      }
      var created = !state.path;
      state.path = data.path;
      state.hash = data.hash;
      state.dirty = false;
      showProblems(data.problems);
      var errors = data.problems.filter(function (p) { return p.severity === "error"; }).length;
      state.note.textContent = t("saved_at", { time: new Date().toLocaleTimeString(TEXTS.locale) }) +
        (errors ? t("errors_left", { n: errors }) : "");
      state.note.className = "note ok";
      if (created) {
        history.replaceState(null, "", "#/edit?path=" + encodeURIComponent(data.path));
        state.route = location.hash;
        app.querySelector(".editor-head .path").textContent = data.path;
      }
      preview();
    }).catch(noteFailure(state, state.note));
  }

  function conflict(data) {
    var mine = data.mine, theirs = data.theirs;
    var box = el("div", {}, [
      el("h2", { text: t("changed_elsewhere") }),
      el("p", { text: data.error }),
      el("div", { class: "versions" }, [
        el("div", { class: "theirs" }, [el("h3", { text: t("theirs") }), diffView(mine, theirs, "ins")]),
        el("div", { class: "mine" }, [el("h3", { text: t("mine") }), diffView(theirs, mine, "ins")])]),
      el("div", { class: "actions" }, [
        el("button", { type: "button", name: "take-theirs", text: t("take_theirs"), onclick: function () {
          closeModal(); editor.dirty = false; showEditor(editor.path, null);
        } }),
        el("button", { type: "button", name: "keep-mine", class: "primary", text: t("keep_mine"), onclick: function () {
          closeModal(); save(data.theirs_hash);
        } }),
        el("button", { type: "button", name: "close", text: t("close_review"), onclick: closeModal })])]);
    editor.note.textContent = t("unsaved_conflict");
    editor.note.className = "note bad";
    openModal(box, true);
  }
  function diffView(other, text, mark) {
    // Lines of ``text`` not in ``other`` are marked, so the difference is seen at a glance.
    var seen = {};
    other.split("\n").forEach(function (line) { seen[line] = true; });
    var pre = el("pre");
    text.split("\n").forEach(function (line, index, all) {
      var content = line + (index < all.length - 1 ? "\n" : "");
      pre.appendChild(seen[line] ? document.createTextNode(content) : el(mark, { text: content }));
    });
    return pre;
  }

  function remove() {
    if (!confirm(t("confirm_trash"))) return;
    var state = editor;
    api("POST", "delete", { path: editor.path, hash: editor.hash }).then(function (data) {
      if (data.error) { editor.note.textContent = data.error; editor.note.className = "note bad"; return; }
      editor.dirty = false;
      location.hash = "#/trash";
    }).catch(noteFailure(state, state.note));
  }

  // --- photos and files ---------------------------------------------------------------------------
  var MAX_UPLOAD = 20 * 1024 * 1024;
  function upload(file) {
    var state = editor;
    if (file.size > MAX_UPLOAD) {
      var size = (file.size / 1e6).toLocaleString(TEXTS.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
      state.note.textContent = t("too_large", { name: file.name, size: size });
      state.note.className = "note bad";
      return;
    }
    var area = bodyArea();
    var start = area.selectionStart, end = area.selectionEnd;
    state.note.textContent = t("uploading", { name: file.name });
    var path = "upload?folder=" + encodeURIComponent(folder(true)) + "&name=" + encodeURIComponent(file.name);
    api("POST", path, file, { "Content-Type": file.type || "application/octet-stream" }).then(function (data) {
      if (data.error) {
        state.note.textContent = data.error + (data.hint ? " — " + data.hint : "");
        state.note.className = "note bad";
        return;
      }
      state.note.textContent = t("uploaded", { path: data.path });
      if (data.kind === "document") {
        insert("[" + file.name.replace(/[\[\]]/g, "") + "](" + data.path + ")", start, end);
        return;
      }
      askCaption(data.path, function (alt, caption) {
        var before = area.value.slice(0, start);
        var lead = before === "" || /\n\n$/.test(before) ? "" : (/\n$/.test(before) ? "\n" : "\n\n");
        var text = lead + "![" + alt.replace(/[\[\]]/g, "") + "](" + data.path + ")\n" +
          (caption ? "*" + caption.replace(/\*/g, "") + "*\n" : "") + "\n";
        insert(text, start, end);
      });
    }).catch(noteFailure(state, state.note));
  }
  function askCaption(path, done) {
    var alt = el("input", { name: "alt", placeholder: t("alt_placeholder") });
    var caption = el("input", { name: "caption", placeholder: t("caption_placeholder") });
    var form = el("form", { onsubmit: function (event) { event.preventDefault(); closeModal(); done(alt.value.trim(), caption.value.trim()); } }, [
      el("h2", { text: t("picture_heading", { path: path }) }),
      el("div", { class: "field" }, [el("label", {}, [t("alt_label"), alt])]),
      el("div", { class: "field" }, [el("label", {}, [t("caption_label"), caption])]),
      el("div", { class: "actions" }, [el("button", { type: "submit", name: "insert", class: "primary", text: t("insert_picture") })])]);
    openModal(form);
  }

  function linkPicker() {
    var area = bodyArea();
    var start = area.selectionStart, end = area.selectionEnd;
    var selected = area.value.slice(start, end);
    var search = el("input", { type: "search", name: "find", placeholder: t("find_article") });
    var list = el("ul", { class: "picker-list" });
    function draw() {
      var q = fold(search.value.trim());
      list.innerHTML = "";
      site.items.filter(function (item) {
        return item.path !== editor.path && (!q || fold(item.title).indexOf(q) >= 0);
      }).slice(0, 40).forEach(function (item) {
        list.appendChild(el("li", {}, [el("button", { type: "button", "data-path": item.path, onclick: function () {
          closeModal();
          insert("[" + (selected || item.title).replace(/[\[\]]/g, "") + "](" + encodePath(relpath(item.path, folder())) + ")", start, end);
        } }, [item.title, el("span", { class: "muted", text: " · " + (item.date || item.path) })])]));
      });
    }
    search.addEventListener("input", draw);
    openModal(el("div", {}, [el("h2", { text: t("article_link") }), search, list]));
    draw();
  }

  // --- trash --------------------------------------------------------------------------------------
  function showTrash() {
    api("GET", "trash").then(function (data) {
      if (data.error) throw new Error(data.error);
      app.innerHTML = "";
      app.appendChild(el("div", { class: "list-head" }, [el("h1", { text: t("nav_trash") }),
        el("span", { class: "muted", text: t("trash_note") })]));
      if (!data.items.length) { app.appendChild(el("div", { class: "empty", text: t("trash_empty") })); return; }
      var tbody = el("tbody");
      data.items.forEach(function (item) {
        var note = el("span", { class: "muted" });
        tbody.appendChild(el("tr", { "data-id": item.id }, [
          el("td", { class: "title" }, [item.title, el("div", { class: "muted", text: item.path })]),
          el("td", { class: "meta", text: t("deleted_at", { when: item.deleted }) }),
          el("td", {}, [el("button", { type: "button", name: "restore", text: t("restore"), onclick: function () {
            api("POST", "restore", { id: item.id }).then(function (answer) {
              if (answer.error) { note.textContent = answer.error; return; }
              location.hash = "#/edit?path=" + encodeURIComponent(answer.path);
            }).catch(function (error) { note.textContent = error.message || String(error); });
          } }), note])]));
      });
      app.appendChild(el("table", { class: "items" }, [tbody]));
    }).catch(failed);
  }

  route();
})();
