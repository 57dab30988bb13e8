/* The retiree picker: type a name, phone or 身份证后4位, click a match; the picked people show
   as chips and travel as hidden inputs. Staff never type an internal number.
   Markup: templates/_picker.html. No dependencies (offline machines). */
(function () {
  "use strict";

  function chip(box, person) {
    var name = box.dataset.name;
    var span = document.createElement("span");
    span.className = "chip";
    span.dataset.id = String(person.id);
    span.dataset.name = person.name;
    span.dataset.unit = person.unit_name;
    span.appendChild(document.createTextNode(person.name + "（" + person.unit_name + "）"));
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = name;
    hidden.value = String(person.id);
    span.appendChild(hidden);
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "chip-remove";
    remove.setAttribute("aria-label", "去掉" + person.name);
    remove.textContent = "×";
    span.appendChild(remove);
    return span;
  }

  function addTo(box, person) {
    var chips = box.querySelector(".chips");
    if (chips.querySelector('.chip[data-id="' + person.id + '"]')) { return; }
    if (box.dataset.multiple !== "1") { chips.innerHTML = ""; }
    chips.appendChild(chip(box, person));
  }

  function setup(box) {
    var input = box.querySelector(".picker-q");
    var list = box.querySelector(".picker-results");
    var chips = box.querySelector(".chips");
    var status = box.querySelector(".picker-status");
    var multiple = box.dataset.multiple === "1";
    var timer = null;
    var found = [];
    var asked = 0;

    function say(text) { status.textContent = text || ""; }

    function close() { list.innerHTML = ""; list.hidden = true; }

    function add(person) {
      addTo(box, person);
      input.value = "";
      close();
      say(multiple ? "已选 " + chips.children.length + " 人" : "已选好");
      box.dispatchEvent(new Event("change", { bubbles: true }));
      input.focus();
    }

    function show(people) {
      found = people;
      list.innerHTML = "";
      if (!people.length) { close(); say("没有找到。可以换个写法：姓名、电话或身份证后4位。"); return; }
      people.forEach(function (p) {
        var li = document.createElement("li");
        var btn = document.createElement("button");
        btn.type = "button";
        btn.className = "picker-option";
        btn.textContent = p.name + " · " + p.unit_name + (p.phone_masked ? " · " + p.phone_masked : "");
        btn.addEventListener("click", function () { add(p); });
        li.appendChild(btn);
        list.appendChild(li);
      });
      list.hidden = false;
      say("找到 " + people.length + " 人，点一下选中");
    }

    function search() {
      var q = input.value.trim();
      if (!q) { close(); say(""); return; }
      var mine = ++asked;
      fetch("/console/pick/retirees?q=" + encodeURIComponent(q), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      }).then(function (res) {
        var json = (res.headers.get("content-type") || "").indexOf("application/json") === 0;
        if (res.redirected || !json) { throw new Error("login"); }
        return res.json();
      }).then(function (body) {
        if (mine === asked) { show(body.data || []); }
      }).catch(function (err) {
        close();
        say(err && err.message === "login" ? "登录已过期，请重新登录" : "没有连上，请稍后再试。");
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {  // Enter picks the only match; it never submits the form
        e.preventDefault();
        if (found.length === 1) { add(found[0]); }
      } else if (e.key === "Escape") { close(); }
    });
    chips.addEventListener("click", function (e) {
      var target = e.target;
      if (target && target.classList.contains("chip-remove")) {
        target.parentNode.remove();
        say(chips.children.length ? "已选 " + chips.children.length + " 人" : "");
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  document.querySelectorAll(".picker").forEach(setup);
  window.retireePicker = { add: addTo };  // draft.js puts restored people back
})();
