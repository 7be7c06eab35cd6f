/* Evidence upload: several files at once, dropped or chosen, each with its own description
   and a progress bar, sent one request per file (XMLHttpRequest, for upload progress).
   Each file is the whole request body (its name in Content-Disposition, its description in
   the query string): the server then streams it to disk without parsing multipart, several
   times faster for large files. Without this script the form still works: a plain multipart
   POST of every file with one shared description. No dependencies. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-upload-form]");
  if (!form || !window.XMLHttpRequest || !window.URLSearchParams) return;

  var texts = document.getElementById("upload-texts").dataset;
  var input = form.querySelector("input[type=file]");
  var dropzone = form.querySelector("[data-dropzone]");
  var queue = form.querySelector("[data-queue]");
  var button = form.querySelector("[data-upload-button]");
  var maxBytes = parseInt(form.dataset.maxBytes, 10) || 0;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var FIELDS = ["title", "kind", "document_number", "document_date", "effective_date", "unit"];
  var LABELS = {
    title: texts.title, kind: texts.kind, document_number: texts.number,
    document_date: texts.date, effective_date: texts.effective, unit: texts.unit
  };
  var items = [];
  var busy = false;

  input.required = false;
  form.querySelector("[data-defaults-note]").hidden = false;
  // The title is per file (its name by default); hide the shared one.
  var sharedTitle = form.querySelector("[name=title]");
  if (sharedTitle) sharedTitle.closest(".field").hidden = true;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) node.textContent = text;
    return node;
  }

  // RFC 8187: percent-encoded UTF-8; encodeURIComponent leaves ' ( ) * as they are.
  function encodeName(name) {
    return encodeURIComponent(name).replace(/['()*]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  function size(bytes) {
    if (bytes >= 1048576) return (bytes / 1048576).toFixed(1) + " MB";
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function fieldFor(name, file, index) {
    var shared = form.querySelector("[name=" + name + "]");
    var id = "q" + index + "_" + name;
    var wrap = el("div", { "class": "field" });
    wrap.appendChild(el("label", { "for": id }, LABELS[name]));
    var control;
    if (shared && shared.tagName === "SELECT") {
      control = shared.cloneNode(true);
      control.value = shared.value;
    } else {
      control = el("input", { type: shared ? shared.type : "text" });
      control.value = name === "title" ? file.name.replace(/\.[A-Za-z0-9]{1,5}$/, "") : (shared ? shared.value : "");
    }
    control.id = id;
    control.name = name;
    wrap.appendChild(control);
    return wrap;
  }

  function add(files) {
    Array.prototype.forEach.call(files, function (file) {
      var index = items.length;
      var row = el("li", { "class": "upload-item" });
      var head = el("div", { "class": "upload-head" });
      head.appendChild(el("strong", {}, file.name));
      head.appendChild(el("span", { "class": "muted" }, " · " + size(file.size)));
      var remove = el("button", { type: "button", "class": "link" }, texts.remove);
      head.appendChild(remove);
      row.appendChild(head);
      var fields = el("div", { "class": "upload-fields" });
      FIELDS.forEach(function (name) { fields.appendChild(fieldFor(name, file, index)); });
      row.appendChild(fields);
      var progress = el("progress", { max: "100", value: "0", "aria-label": file.name });
      row.appendChild(progress);
      var status = el("div", { "class": "upload-status", role: "status" }, texts.waiting);
      row.appendChild(status);
      queue.appendChild(row);
      var item = { file: file, row: row, progress: progress, status: status, state: "waiting" };
      if (maxBytes && file.size > maxBytes) {
        item.state = "refused";
        row.classList.add("result-refused");
        status.textContent = texts.tooLarge;
      }
      remove.addEventListener("click", function () {
        if (item.state === "sending") return;
        item.state = "removed";
        row.remove();
      });
      items.push(item);
    });
  }

  function showResult(item, body, httpStatus) {
    var result = body && body.results && body.results[0];
    var error = body && body.error;
    item.status.textContent = "";
    if (result && result.ok) {
      item.state = "done";
      item.row.classList.add("result-ok");
      item.progress.value = 100;
      var link = el("a", { href: result.url }, result.message);
      item.status.appendChild(link);
      item.row.querySelector(".upload-fields").hidden = true;
      return;
    }
    item.state = "refused";
    item.row.classList.add("result-refused");
    item.status.textContent = (result && result.message) || (error && error.message) || texts.failed;
    if (error && error.details) {
      error.details.forEach(function (detail) {
        item.status.appendChild(el("div", {}, detail.message));
      });
    }
    (result && result.existing || []).forEach(function (existing) {
      item.status.appendChild(document.createTextNode(" "));
      item.status.appendChild(el("a", { href: existing.url }, texts.open + " \u201c" + existing.title + "\u201d"));
    });
    if (!result && !error) item.status.textContent = texts.failed + " (" + httpStatus + ")";
  }

  function send(item) {
    return new Promise(function (resolve) {
      var query = new URLSearchParams();
      FIELDS.forEach(function (name) {
        var control = item.row.querySelector("[name=" + name + "]");
        if (control) query.append(name, control.value);
      });
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action + (form.action.indexOf("?") < 0 ? "?" : "&") + query.toString());
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.setRequestHeader("Content-Disposition", "attachment; filename*=UTF-8''" + encodeName(item.file.name));
      xhr.setRequestHeader("X-CSRFToken", csrf);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) item.progress.value = Math.round((event.loaded / event.total) * 100);
      });
      xhr.addEventListener("load", function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        showResult(item, body, xhr.status);
        resolve();
      });
      ["error", "abort", "timeout"].forEach(function (name) {
        xhr.addEventListener(name, function () {
          item.state = "failed";
          item.row.classList.add("result-refused");
          item.status.textContent = texts.failed;
          resolve();
        });
      });
      item.state = "sending";
      item.status.textContent = texts.sending;
      xhr.send(item.file);
    });
  }

  input.addEventListener("change", function () {
    add(input.files);
    input.value = "";
  });
  ["dragenter", "dragover"].forEach(function (name) {
    dropzone.addEventListener(name, function (event) {
      event.preventDefault();
      dropzone.classList.add("dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    dropzone.addEventListener(name, function () { dropzone.classList.remove("dragging"); });
  });
  dropzone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files) add(event.dataTransfer.files);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return;
    var pending = items.filter(function (item) { return item.state === "waiting" || item.state === "failed"; });
    if (!pending.length) { input.focus(); return; }
    busy = true;
    button.disabled = true;
    pending.reduce(function (chain, item) {
      return chain.then(function () { return send(item); });
    }, Promise.resolve()).then(function () {
      busy = false;
      button.disabled = false;
    });
  });
})();
