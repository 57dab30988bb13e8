/* Keep what staff typed in a long form (data-draft="<key>") in this browser until the server
   confirms it was saved: if the login expired on the way, the form comes back filled in after
   logging in again. Cleared after a successful save and on 退出. */
(function () {
  "use strict";
  var PENDING = "draft-pending";
  var store = window.localStorage;

  // A page reached after a successful save (base.html marks it) ends the pending draft.
  if (document.body.dataset.saved === "1") {
    var done = sessionStorage.getItem(PENDING);
    if (done) { store.removeItem(done); sessionStorage.removeItem(PENDING); }
  }

  var form = document.querySelector("form[data-draft]");
  if (!form) { return; }
  var key = "draft:" + form.dataset.draft;

  function read() {
    var data = { fields: {}, people: {} };
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "submit" || el.type === "button") { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        if (!data.fields[el.name]) { data.fields[el.name] = []; }
        if (el.checked) { data.fields[el.name].push(el.value); }
      } else {
        data.fields[el.name] = el.value;
      }
    });
    form.querySelectorAll(".picker").forEach(function (box) {
      data.people[box.id] = Array.prototype.map.call(box.querySelectorAll(".chip"), function (c) {
        return { id: Number(c.dataset.id), name: c.dataset.name, unit_name: c.dataset.unit };
      });
    });
    return data;
  }

  function blank() {
    var data = read();
    return Object.keys(data.fields).every(function (name) {
      var v = data.fields[name];
      return Array.isArray(v) || !v || name === "category";
    });
  }

  function write(data) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in data.fields) || el.type === "hidden") { return; }
      var v = data.fields[el.name];
      if (el.type === "checkbox" || el.type === "radio") { el.checked = v.indexOf(el.value) >= 0; }
      else if (el.type !== "submit" && el.type !== "button") { el.value = v; }
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
    Object.keys(data.people || {}).forEach(function (id) {
      var box = document.getElementById(id);
      if (box && window.retireePicker) {
        data.people[id].forEach(function (p) { window.retireePicker.add(box, p); });
      }
    });
  }

  function save() {
    try { store.setItem(key, JSON.stringify(read())); } catch (e) { /* storage full or off */ }
  }

  var saved = null;
  try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
  var interrupted = sessionStorage.getItem(PENDING) === key;
  var differs = saved && JSON.stringify(saved) !== JSON.stringify(read());
  // Fill back in what was typed when the page came back empty (a new form after logging in
  // again) or with older values than the unsent draft (an edit whose send never arrived).
  if (saved && differs && (blank() || interrupted)) {
    write(saved);
    var note = document.createElement("div");
    note.className = "notice warn";
    note.id = "draft-restored";
    note.setAttribute("role", "status");
    note.textContent = "已恢复您上次没有发出去的内容，请检查后再发送。";
    form.parentNode.insertBefore(note, form);
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", function (e) {
    save();
    if (!e.submitter || e.submitter.value !== "preview") { sessionStorage.setItem(PENDING, key); }
  });
})();
