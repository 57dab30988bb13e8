// Runs in each rendered page (tests/miniprogram/screens.py): a list of layout problems.
// [minTap, minPrimary, allowed]: tap sizes in px, Latin words that are people's data.
/* eslint-disable */
(([minTap, minPrimary, allowed]) => {
  const out = [];
  const root = document.querySelector('#screen');
  const W = document.documentElement.clientWidth;
  const desc = (el) => {
    const cls = String(el.className || '').split(/\s+/).filter(Boolean)
      .map((c) => c.replace(/^[\w-]+--/, '')).join('.');
    const text = (el.textContent || '').replace(/\s+/g, '').slice(0, 16);
    return `${el.tagName.toLowerCase()}${cls ? '.' + cls : ''}「${text}」`;
  };
  const visible = (el) => {
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden') return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 || r.height > 0;
  };
  const boxed = (el) => {
    const s = getComputedStyle(el);
    return parseFloat(s.borderTopWidth) > 0 || parseFloat(s.borderLeftWidth) > 0
      || (s.backgroundColor !== 'rgba(0, 0, 0, 0)' && s.backgroundColor !== 'transparent')
      || s.overflow !== 'visible';
  };
  for (const el of root.querySelectorAll('*')) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right > W + 0.5 || r.left < -0.5) {
      out.push(`off screen: ${desc(el)} spans ${Math.round(r.left)}..${Math.round(r.right)}px of ${W}`);
    }
    const s = getComputedStyle(el);
    if (s.overflow !== 'visible' && (el.scrollWidth > el.clientWidth + 1
        || el.scrollHeight > el.clientHeight + 1) && el.textContent.trim()) {
      out.push(`clipped: ${desc(el)} shows ${el.clientWidth}x${el.clientHeight} of ${el.scrollWidth}x${el.scrollHeight}`);
    }
  }
  if (document.documentElement.scrollWidth > W + 0.5) {
    out.push(`off screen: the page is ${document.documentElement.scrollWidth}px wide, the phone ${W}`);
  }
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const allowedSet = new Set(allowed);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent;
    if (!text.trim() || !node.parentElement || !visible(node.parentElement)) continue;
    const latin = (text.match(/[A-Za-z0-9]+/g) || []).filter((w) => /[A-Za-z]/.test(w));
    const leaked = latin.filter((w) => !allowedSet.has(w));
    if (leaked.length) out.push(`latin text: 「${text.trim().slice(0, 40)}」 (${leaked.join(' ')})`);
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()];
    for (let a = node.parentElement; a && a !== root.parentElement; a = a.parentElement) {
      if (!boxed(a)) continue;
      const box = a.getBoundingClientRect();
      const spill = rects.find((t) => t.width > 0 && (t.left < box.left - 1 || t.right > box.right + 1
        || t.top < box.top - 1 || t.bottom > box.bottom + 1));
      if (spill) {
        out.push(`text overflows: 「${text.trim().slice(0, 20)}」 out of ${desc(a)}`);
        break;
      }
    }
  }
  const targets = root.querySelectorAll('[data-tap], wx-button, wx-picker, wx-input, wx-textarea, wx-navigator, wx-switch');
  for (const el of targets) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    const need = /(^|\s)[\w-]*--primary(\s|$)/.test(String(el.className)) ? minPrimary : minTap;
    if (r.height < need - 0.5 || r.width < need - 0.5) {
      out.push(`small tap target: ${desc(el)} is ${Math.round(r.width)}x${Math.round(r.height)}px, needs ${need}px`);
      continue;
    }
    const x = r.left + r.width / 2;
    const y = r.top + r.height / 2;
    const hit = document.elementFromPoint(x, y);
    if (hit && hit !== el && !el.contains(hit)) {
      out.push(`covered tap target: ${desc(el)} lies under ${desc(hit)}`);
    }
  }
  return out;
})
