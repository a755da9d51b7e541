/*
 * helpline chat widget. Added to any page with one tag:
 *
 *   <script src="https://HOST/widget.js" data-title="Helpline chat" defer></script>
 *
 * Options (data attributes): data-title; data-server, the server's base URL (default: where this
 * script came from); data-open="true" opens the panel on load (not on phones, where it would cover
 * the page); data-position="right" (default) or "left".
 *
 * It talks only to the helpline server, over one websocket (docs/protocol.md), and renders in a
 * closed Shadow DOM: the page's CSS cannot break it, and the page's own scripts (analytics, session
 * recorders) cannot read the conversation out of the page's DOM.
 */
(() => {
  "use strict";

  const script = document.currentScript || document.querySelector('script[src$="widget.js"]');
  if (!script || document.querySelector("helpline-chat")) return; // no tag to read, or loaded twice

  const MAX_CHARS = 2000; // the server's default message limit
  const COUNT_FROM = 1800; // the counter shows from here on
  const TYPING_MS = 6000; // how long one typing frame shows the indicator
  const PING_MS = 25000; // keep-alive while connected…
  const PONG_MS = 10000; // …and no answer by then means the connection is dead
  const [BACKOFF_MIN, BACKOFF_MAX] = [500, 30000];
  const ERROR_MS = 8000; // how long an error line stays
  const TYPING_SEND_MS = 3000; // the visitor's own typing frames: at most one this often

  // Everything the widget keeps in the browser, namespaced so it can't clash with the site's keys.
  const KEY = {
    token: "helpline.token", // localStorage: the conversation token
    dismissed: "helpline.crisisDismissed", // localStorage: id of the last crisis banner dismissed
    pending: "helpline.pending", // sessionStorage: messages not yet confirmed, so a reload keeps them
  };
  const STATES = {
    bot: "You're chatting with the helpline assistant",
    waiting: "Finding a person for you…",
    rep: "You're chatting with a person from the helpline",
    closed: "This chat has ended",
  };
  const WHO = { visitor: "You", bot: "Helpline assistant", rep: "Helpline team", system: "Notice" };

  // The two short forms a bot message may offer when nobody can chat now (its `forms` field).
  const FORMS = {
    callback: { open: "Request a call back", send: "Send request" },
    insurance: { open: "Check my insurance", send: "Send request" },
  };
  const US_STATES = ("AL Alabama|AK Alaska|AZ Arizona|AR Arkansas|CA California|CO Colorado|CT Connecticut|" +
    "DE Delaware|DC District of Columbia|FL Florida|GA Georgia|HI Hawaii|ID Idaho|IL Illinois|IN Indiana|IA Iowa|" +
    "KS Kansas|KY Kentucky|LA Louisiana|ME Maine|MD Maryland|MA Massachusetts|MI Michigan|MN Minnesota|" +
    "MS Mississippi|MO Missouri|MT Montana|NE Nebraska|NV Nevada|NH New Hampshire|NJ New Jersey|NM New Mexico|" +
    "NY New York|NC North Carolina|ND North Dakota|OH Ohio|OK Oklahoma|OR Oregon|PA Pennsylvania|PR Puerto Rico|" +
    "RI Rhode Island|SC South Carolina|SD South Dakota|TN Tennessee|TX Texas|UT Utah|VT Vermont|VA Virginia|" +
    "WA Washington|WV West Virginia|WI Wisconsin|WY Wyoming").split("|").map((s) => [s.slice(0, 2), s.slice(3)]);

  // The crisis bar's buttons: the national lines a crisis reply names (internal/safety/responses.go
  // writes them; none is a setting), in the order that fits each kind of risk, three at most.
  const LINES = {
    call911: { re: /\b911\b/, href: "tel:911", label: "Call 911" },
    call988: { re: /\b988\b/, href: "tel:988", label: "Call 988" },
    text988: { re: /\btext\s+(?:\*\*)?988\b/i, href: "sms:988", label: "Text 988" },
    // Poison Control also advises on an overdose, so an overdose gets it even when its reply names only 911.
    poison: { re: /\b800[-. ]?222[-. ]?1222\b/, href: "tel:+18002221222", label: "Poison Control" },
    textLine: { re: /\b741741\b/, href: "sms:741741?&body=HOME", label: "Text 741741" },
  };
  const LINE_ORDER = {
    overdose: ["call911", "poison"],
    medical: ["call911", "poison"],
    abuse: ["call911", "textLine"],
    suicide: ["call988", "text988", "call911"],
    self_harm: ["call988", "text988", "call911", "textLine"],
  };
  const MAX_LINES = 3;

  const cfg = readConfig(script.dataset, script.src);
  const ui = {};
  const st = {
    token: load("localStorage", KEY.token),
    conv: null, // conversation id from welcome
    last: null, // last server message id shown on this page (see hello)
    seen: new Set(), // server message ids on screen: nothing is shown twice
    pending: new Map(), // client id → { frame, shown, el }: sent but not confirmed
    drafts: new Map(), // visitor message id → { el, body, text }: a generated answer being written
    lastSent: null, // client id of the last frame sent (an error frame answers it)
    ws: null,
    ready: false, // welcome received on the current socket
    wanted: false, // a conversation exists or is starting, so we want a connection
    down: false, // a connection failed or dropped and is not back yet
    attempt: 0, // reconnect attempts since the last welcome
    timer: 0, heartbeat: 0, pongTimer: 0, errorTimer: 0,
    deleteRequested: false, // kept until "deleted" arrives, so a reconnect repeats it
    convState: null,
    typing: new Map(), // sender → timer
    typingSent: 0, // when the visitor's last typing frame went out (ms)
    repName: null, // display name of the last representative seen, for "NAME is typing…"
    queue: null, // { position, wait } from the last queue frame, while waiting for a person
    form: null, // { frame, ctl }: a callback or insurance form sent and not yet answered
    formSeq: 0, // makes form field ids unique in the shadow root
    retryUntil: 0, // rate limited until this time (ms)
    crisis: false, // a crisis reply was shown in this conversation: nothing unrelated is offered
    follow: true, // the log follows new messages (see follow)
    readFrom: null, // the first message that came since the visitor last wrote or read to the end
    autoTop: -1, // where follow last put the log
    open: false,
    loadedAt: Date.now(),
  };

  function readConfig(data, src) {
    // A trailing slash makes "https://host/chat" a base for "https://host/chat/ws".
    const base = new URL(data.server ? data.server.replace(/\/*$/, "/") : "./", src);
    const ws = new URL("ws", base);
    ws.protocol = base.protocol === "https:" ? "wss:" : "ws:";
    const [title, css] = [data.title || "Helpline chat", new URL("widget.css", base).href];
    return { title, css, ws: ws.href, open: data.open === "true", left: data.position === "left" };
  }

  // Storage can be blocked (private modes, sandboxed frames): the chat then lasts as long as the page.
  function load(area, key) {
    try { return window[area].getItem(key); } catch { return null; }
  }
  function save(area, key, value) {
    try {
      if (value == null) window[area].removeItem(key);
      else window[area].setItem(key, value);
    } catch { /* memory only */ }
  }

  // h builds an element. Strings among the children become text nodes, never HTML.
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === "class") el.className = v;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids) if (kid != null) el.append(kid);
    return el;
  }
  const button = (label, onclick, attrs) => h("button", { type: "button", onclick, ...attrs }, label);

  // ---- building the widget ----

  function buildUI() {
    const host = document.createElement("helpline-chat");
    const root = host.attachShadow({ mode: "closed" });
    ui.root = root;
    const css = h("link", { rel: "stylesheet", href: cfg.css });
    const wrap = h("div", { class: cfg.left ? "hl hl-left" : "hl", hidden: true });
    ui.wrap = wrap;
    // Hidden until the stylesheet is in, so the page never flashes unstyled widget parts.
    const show = () => (wrap.hidden = false);
    css.addEventListener("load", show);
    css.addEventListener("error", show);
    for (const type of ["keydown", "keyup", "keypress"]) {
      // The page's keyboard shortcuts must not fire while someone types in the chat.
      wrap.addEventListener(type, (e) => (type === "keydown" && onKey(e), e.stopPropagation()));
    }
    wrap.append(buildPanel(), buildLauncher());
    root.append(css, wrap);
    document.body.append(host);
  }

  function buildLauncher() {
    ui.launcher = button(null, () => setOpen(!st.open, true), {
      class: "hl-launcher", "aria-label": "Chat with us", "aria-expanded": "false", "aria-controls": "hl-panel",
    });
    // A fixed icon of our own, not data: innerHTML is safe here.
    ui.launcher.innerHTML =
      '<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="28" height="28">' +
      '<path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6' +
      'a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0-.01zm5 0a1.5 1.5 0 1 0 0-.01zm5 0a1.5 1.5 0 1 0 0-.01z"/></svg>';
    return ui.launcher;
  }

  function buildPanel() {
    ui.status = h("p", { class: "hl-status", role: "status" });
    ui.menuBtn = button("⋯", () => setMenu(ui.menu.hidden), {
      class: "hl-icon", "aria-label": "More options", "aria-expanded": "false", "aria-controls": "hl-menu",
    });
    // A div, not <header>: the host page has its own banner landmark, and the widget must not add a second.
    const header = h("div", { class: "hl-header" },
      h("div", { class: "hl-heading" }, h("h2", { id: "hl-title" }, cfg.title), ui.status),
      ui.menuBtn,
      button("×", () => setOpen(false, true), { class: "hl-icon", "aria-label": "Close chat" }));
    ui.menu = h("div", { class: "hl-menu", id: "hl-menu", hidden: true },
      button("End chat", endChat),
      button("Delete my conversation", () => (setMenu(false), showConfirm(true))));
    ui.cancelDelete = button("Cancel", () => showConfirm(false));
    ui.confirm = h("div", { class: "hl-confirm", role: "group", "aria-labelledby": "hl-confirm-q", hidden: true },
      h("p", { id: "hl-confirm-q" }, "Delete this conversation now? It is removed at once and can't be undone."),
      h("div", { class: "hl-row" }, button("Yes, delete it", confirmDelete, { class: "hl-danger" }), ui.cancelDelete));
    // The crisis bar (see showCrisis), and a live alert kept in the page even when empty, since
    // screen readers announce only what is added to one that exists.
    ui.crisis = h("div", { class: "hl-crisis", role: "region", "aria-label": "Emergency help", hidden: true });
    ui.crisisAlert = h("p", { class: "hl-sr", role: "alert" });
    ui.offline = h("p", { class: "hl-offline", role: "status", hidden: true },
      "You're offline — we'll reconnect and nothing you wrote will be lost.");
    ui.msgs = h("div", { class: "hl-msgs" });
    ui.log = h("div", {
      class: "hl-log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0",
    }, privacyNotice(), ui.msgs);
    ui.log.addEventListener("scroll", onScroll);
    // The bar, the composer or "Start a new chat" change the log's height: keep following.
    if (window.ResizeObserver) new ResizeObserver(() => st.follow && follow()).observe(ui.log);
    ui.newMsg = button(null, () => ((st.follow = true), follow(), ui.log.focus()), { class: "hl-newmsg", hidden: true });
    ui.newMsg.append("New message ", h("span", { "aria-hidden": "true" }, "↓"));
    const logWrap = h("div", { class: "hl-logwrap" }, ui.log, ui.newMsg);
    ui.typingLabel = h("span", { class: "hl-sr" });
    ui.typingDots = h("span", { "aria-hidden": "true" }, "…");
    ui.typing = h("p", { class: "hl-typing", hidden: true }, ui.typingLabel, ui.typingDots);
    ui.error = h("p", { class: "hl-error", role: "status" });
    const newChat = () => (forgetConversation(), ui.input.focus());
    ui.newChat = button("Start a new chat", newChat, { class: "hl-new", hidden: true });
    // A labelled dialog, not a landmark: the host page's landmarks stay the only ones. Focus stays
    // inside it while it is open (onKey), so it is modal to keyboard and screen-reader users.
    ui.panel = h("div", {
      class: "hl-panel", id: "hl-panel", role: "dialog", "aria-modal": "true", "aria-labelledby": "hl-title", hidden: true,
    }, header, ui.menu, ui.confirm, ui.crisis, ui.crisisAlert, ui.offline, logWrap, ui.typing, ui.error, ui.newChat,
    buildComposer());
    ui.panel.addEventListener("click", (e) => {
      if (!ui.menu.hidden && !ui.menu.contains(e.target) && e.target !== ui.menuBtn) setMenu(false);
    });
    return ui.panel;
  }

  function buildComposer() {
    ui.input = h("textarea", { id: "hl-input", rows: "1", maxlength: MAX_CHARS, "aria-describedby": "hl-count" });
    ui.count = h("span", { class: "hl-count", id: "hl-count" });
    ui.send = h("button", { type: "submit", class: "hl-send" }, "Send");
    ui.input.addEventListener("input", () => (onInput(), sendTyping()));
    ui.input.addEventListener("keydown", (e) => {
      // Enter sends, Shift+Enter is a newline; never interrupt an IME composing a word.
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) (e.preventDefault(), submitText());
    });
    return h("form", { class: "hl-composer", onsubmit: (e) => (e.preventDefault(), submitText()) },
      h("label", { for: "hl-input", class: "hl-sr" }, "Your message"), ui.input, ui.send, ui.count);
  }

  function privacyNotice() {
    return h("div", { class: "hl-notice" },
      h("p", null,
        "This chat is confidential, but not anonymous: a person from our team may read it. ",
        "You don't have to tell us your name. The conversation is deleted after a while, ",
        "and you can delete it yourself at any time from the menu (⋯)."),
      h("p", null, "In an emergency, call ", h("a", { href: "tel:911" }, "911"), "."));
  }

  // ---- opening, closing, menu ----

  function setOpen(open, moveFocus) {
    st.open = open;
    ui.panel.hidden = !open;
    ui.launcher.setAttribute("aria-expanded", String(open));
    if (!open) {
      setMenu(false);
      showConfirm(false, true);
      if (moveFocus) ui.launcher.focus();
      return;
    }
    ui.launcher.classList.remove("hl-unread");
    ui.launcher.setAttribute("aria-label", "Chat with us");
    if (st.token && !st.ws) connect();
    if (st.follow) follow();
    else if (st.readFrom) ui.newMsg.hidden = false; // news came while it was closed
    if (moveFocus) (ui.input.disabled ? ui.newChat : ui.input).focus();
  }

  function onKey(e) {
    if (e.key === "Tab") return trapFocus(e);
    if (e.key !== "Escape") return;
    if (!ui.menu.hidden) setMenu(false), ui.menuBtn.focus();
    else if (!ui.confirm.hidden) showConfirm(false);
    else if (st.open) setOpen(false, true);
    else return;
    e.preventDefault();
  }

  // trapFocus keeps Tab and Shift+Tab inside the open panel: the last control leads to the first.
  function trapFocus(e) {
    if (!st.open) return;
    const all = [...ui.panel.querySelectorAll("a[href], button, textarea, input, select, [tabindex]")].filter((el) =>
      !el.disabled && el.tabIndex >= 0 && el.getClientRects().length > 0);
    if (!all.length) return;
    const [first, last] = [all[0], all[all.length - 1]];
    const active = ui.root.activeElement;
    if (!ui.panel.contains(active)) (e.preventDefault(), (e.shiftKey ? last : first).focus());
    else if (e.shiftKey && active === first) (e.preventDefault(), last.focus());
    else if (!e.shiftKey && active === last) (e.preventDefault(), first.focus());
  }

  function setMenu(open) {
    ui.menu.hidden = !open;
    ui.menuBtn.setAttribute("aria-expanded", String(open));
    if (open) ui.menu.querySelector("button").focus();
  }

  function showConfirm(show, quiet) {
    ui.confirm.hidden = !show;
    if (show) ui.cancelDelete.focus(); // the safe choice has the focus
    else if (!quiet) ui.menuBtn.focus();
  }

  function endChat() {
    setMenu(false);
    ui.menuBtn.focus();
    if (!st.token) return showError("There is no chat to end yet.");
    if (!transmit({ v: 1, type: "end" })) showError("You're offline. Please try again once we're reconnected.");
  }

  function confirmDelete() {
    showConfirm(false, true);
    ui.input.focus();
    if (!st.token) return onDeleted(); // nothing reached the server yet: forgetting it here is enough
    st.deleteRequested = true;
    if (!transmit({ v: 1, type: "delete" })) showError("We'll delete it as soon as we're reconnected.");
  }

  // ---- the conversation on screen ----

  // renderDelta shows a piece of the assistant's answer as it is written: plain text, never HTML,
  // appended to a draft that the whole answer, in its message frame, replaces. The draft is
  // hidden from screen readers, which read the whole answer once it comes.
  function renderDelta(f) {
    if (typeof f.reply_to !== "string" || typeof f.text !== "string") return;
    let d = st.drafts.get(f.reply_to);
    if (!d) {
      const body = h("div", { class: "hl-body hl-plain" });
      const el = h("div", { class: "hl-msg hl-bot hl-draft", "aria-hidden": "true" }, body);
      d = { el, body, text: "" };
      st.drafts.set(f.reply_to, d);
      clearTyping("bot");
      appendToLog(el);
    }
    d.text += f.text;
    d.body.textContent = d.text;
    if (st.follow) follow();
  }

  function dropDraft(replyTo) {
    const d = typeof replyTo === "string" && st.drafts.get(replyTo);
    if (!d) return;
    d.el.remove();
    st.drafts.delete(replyTo);
  }

  function renderMessage(m) {
    if (m.from === "bot") dropDraft(m.reply_to); // the whole answer takes the draft's place
    if (typeof m.id !== "string" || st.seen.has(m.id)) return; // replays and other tabs can repeat one
    st.seen.add(m.id);
    if (!st.last || compareIds(m.id, st.last) > 0) st.last = m.id;
    const from = WHO[m.from] ? m.from : "system";
    if (from !== "visitor") clearTyping(from);
    if (from === "bot" || from === "system") formAnswered(); // the server's answer to a form
    const name = from === "rep" && typeof m.rep === "string" && m.rep.trim() ? m.rep.trim() : null;
    if (name && name !== st.repName) (st.repName = name), renderStatus();
    const mine = from === "visitor" && st.pending.get(m.client_id);
    if (mine) return markSent(m.client_id, mine, m);
    // The visitor wrote (in another tab, or before a reload): the choices above are spent.
    if (from === "visitor") disableChoices(typeof m.text === "string" ? m.text : "");

    const body = h("div", { class: "hl-body" });
    fillBody(body, m);
    // A representative's name is shown; everyone else's role is only read out.
    const who = name
      ? h("span", { class: "hl-name" }, name, h("span", { class: "hl-sr" }, ": "))
      : h("span", { class: "hl-sr" }, `${WHO[from]}: `);
    const el = h("div", { class: `hl-msg hl-${from}`, "data-id": m.id }, who, body, meta(m.time));
    if (from === "bot" && m.generated === true) el.insertBefore(writtenFrom(m), el.lastChild);
    if (from === "bot") appendActions(el, m), appendForms(el, m);
    // A follow-up in a crisis already answered keeps the bar and its steps, which are the first reply's.
    const followUp = m.follow_up === true && st.crisis && !ui.crisis.hidden;
    if (from === "bot" && m.kind === "crisis" && !followUp) showCrisis(m); // before the message, so the log knows its height
    appendToLog(el);
    markUnread(m);
  }

  // writtenFrom is the note under an answer the assistant wrote: which entries it was written from.
  function writtenFrom(m) {
    const titles = entryList(m.cites).map((o) => (typeof o.title === "string" && o.title) || o.id);
    return h("p", { class: "hl-generated" }, `Written by the assistant from: ${titles.join(", ") || "our answers"}`);
  }

  function fillBody(body, m) {
    // Only the bot's curated answers may carry HTML; whatever people write, and whatever the
    // assistant writes itself (generated), is shown as text.
    if (m.from === "bot" && m.generated !== true && typeof m.html === "string" && m.html) body.append(safeHTML(m.html));
    else {
      body.classList.add("hl-plain");
      body.textContent = typeof m.text === "string" ? m.text : "";
    }
    if (m.from !== "visitor") linkPhones(body); // the helpline's numbers, never the visitor's
  }

  // meta is the small line under a message: its local time, with the exact moment in datetime.
  function meta(time) {
    const d = new Date(time);
    if (!time || Number.isNaN(d.getTime())) return h("span", { class: "hl-meta" });
    const shown = d.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
    return h("span", { class: "hl-meta" }, h("time", { datetime: d.toISOString(), title: d.toLocaleString() }, shown));
  }

  // ---- phone numbers ----

  // Phone numbers as the helpline writes them: 1-800-662-4357, (202) 555-0142, 1-800-662-HELP (its
  // letters dial as on a keypad), and the short lines 911, 988 and 741741. The first group is the
  // character before the number (no lookbehind: Safari before 16.4 cannot parse one, and a syntax
  // error would take the whole widget down).
  const PHONE = /(^|[^\w-])((?:\+?1[-. ])?(?:\(\d{3}\) ?|\d{3}[-. ])\d{3}[-. ](?:\d{4}|[A-Z\d]{4})|911|988|741741)(?![\w-])/g;
  const KEYPAD = { ABC: 2, DEF: 3, GHI: 4, JKL: 5, MNO: 6, PQRS: 7, TUV: 8, WXYZ: 9 };
  const dialDigits = (s) => s.replace(/[A-Z]/g, (c) => Object.entries(KEYPAD).find(([k]) => k.includes(c))[1])
    .replace(/\D/g, "");

  // phoneHref is the link for a number found after the text `before`: tel: to call, sms: where the
  // words ask to text it ("text 988", "text HOME to 741741").
  function phoneHref(number, before) {
    const digits = dialDigits(number);
    if (digits === "741741") {
      const word = /\btext\s+([A-Za-z]+)\s+to\s*$/i.exec(before);
      return `sms:741741${word ? `?&body=${encodeURIComponent(word[1].toUpperCase())}` : ""}`;
    }
    if (digits === "988" && /\btext\s*$/i.test(before) && !/\bcall or text\s*$/i.test(before)) return "sms:988";
    if (digits.length === 10) return `tel:+1${digits}`;
    if (digits.length === 11) return `tel:+${digits}`;
    return `tel:${digits}`;
  }

  // linkPhones turns the numbers in a message into links, built node by node (never from the
  // message as HTML). Text already in a link is left alone. The text before a number may sit in
  // another node ("call or text <strong>988</strong>"), so the words before are carried along.
  function linkPhones(body) {
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    const nodes = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
    let tail = "";
    for (const node of nodes) {
      const text = node.nodeValue;
      const skip = node.parentElement && node.parentElement.closest("a, code");
      const parts = [];
      let at = 0;
      if (!skip) {
        for (const match of text.matchAll(PHONE)) {
          const [from, number] = [match.index + match[1].length, match[2]];
          const before = tail + text.slice(0, from);
          parts.push(text.slice(at, from), h("a", { class: "hl-tel", href: phoneHref(number, before.slice(-40)) }, number));
          at = from + number.length;
        }
      }
      tail = (tail + text).slice(-40);
      if (!parts.length) continue;
      parts.push(text.slice(at));
      node.replaceWith(...parts.filter((x) => x !== ""));
    }
  }

  // The server already sanitizes bot HTML; this second pass is cheap insurance, since the page we
  // run in is someone else's. Allowed: simple text markup and http(s), tel and mailto links.
  const TAGS = new Set("P BR STRONG B EM I UL OL LI A H2 H3 H4 BLOCKQUOTE CODE HR".split(" "));
  function safeHTML(html) {
    const t = document.createElement("template");
    t.innerHTML = html; // parsed into an inert fragment: nothing in it loads or runs
    for (const el of [...t.content.querySelectorAll("*")]) {
      if (!TAGS.has(el.tagName)) {
        el.replaceWith(/^(SCRIPT|STYLE)$/.test(el.tagName) ? "" : el.textContent);
        continue;
      }
      const href = (el.getAttribute("href") || "").trim();
      for (const a of [...el.attributes]) el.removeAttribute(a.name);
      if (el.tagName !== "A" || !/^(https?:|tel:|mailto:)/i.test(href)) continue;
      el.setAttribute("href", href);
      // Web links open in a new tab, so the chat stays open here.
      if (/^https?:/i.test(href)) Object.assign(el, { target: "_blank", rel: "noopener noreferrer" });
    }
    return t.content;
  }

  // entryList keeps the well-formed entries of a frame's option list.
  function entryList(list) {
    return Array.isArray(list) ? list.filter((o) => o && typeof o.id === "string") : [];
  }

  function appendActions(el, m) {
    // An answer may come with the entry the visitor perhaps meant instead:
    // one tap away, above the related questions.
    const alts = entryList(m.alternatives);
    if (alts.length) {
      const label = "Or were you asking about:";
      const row = h("div", { class: "hl-actions hl-alts", role: "group", "aria-label": label }, h("p", { class: "hl-alts-label" }, label));
      for (const o of alts) {
        const title = o.title || o.id;
        row.append(button(title, () => sendUser("choose", { entry: o.id }, title), { class: "hl-option hl-choice" }));
      }
      el.append(row);
    }
    const options = entryList(m.options);
    if (!options.length && !m.offer_person) return;
    const label = m.kind === "clarify" ? "Choose one" : "Related questions";
    const row = h("div", { class: "hl-actions", role: "group", "aria-label": label });
    for (const o of options) {
      const title = o.title || o.id;
      row.append(button(title, () => sendUser("choose", { entry: o.id }, title), { class: "hl-option hl-choice" }));
    }
    const person = "Talk to a person";
    const ask = () => sendUser("person", {}, person);
    if (m.offer_person) row.append(button(person, ask, { class: "hl-option hl-person hl-choice" }));
    el.append(row);
  }

  // disableChoices spends the choice buttons on screen once the visitor writes or chooses, so old
  // menus do not pile up clickable; the one chosen (its title is what was sent) stays marked. It
  // returns the buttons it disabled, to give them back if the message is refused.
  function disableChoices(sent) {
    const spent = [...ui.msgs.querySelectorAll(".hl-choice:not(:disabled)")];
    for (const b of spent) {
      b.disabled = true;
      if (b.textContent === sent) b.classList.add("hl-chosen");
    }
    return spent;
  }

  // ---- callback and insurance forms ----

  function appendForms(el, m) {
    const kinds = Array.isArray(m.forms) ? m.forms.filter((k) => Object.hasOwn(FORMS, k)) : [];
    if (!kinds.length) return;
    const row = h("div", { class: "hl-formbtns", role: "group", "aria-label": "Other ways we can help" });
    const forms = [];
    for (const kind of new Set(kinds)) {
      const ctl = buildForm(kind);
      ctl.toggle = button(FORMS[kind].open, () => showForm(ctl, ctl.form.hidden), {
        class: "hl-option hl-small", "aria-expanded": "false", "aria-controls": ctl.form.id, "data-form": kind,
      });
      row.append(ctl.toggle);
      forms.push(ctl.form);
    }
    el.append(row, ...forms);
  }

  function buildForm(kind) {
    const n = ++st.formSeq;
    const id = (part) => `hl-${kind}-${n}-${part}`;
    const input = (part, attrs) => h("input", { id: id(part), type: "text", ...attrs });
    const field = (label, el) => h("div", { class: "hl-field" }, h("label", { for: el.id }, label), el);
    const ctl = { kind };
    let fields;
    if (kind === "callback") {
      ctl.name = input("name", { maxlength: "60", autocomplete: "nickname" });
      ctl.phone = input("phone", { type: "tel", maxlength: "30", autocomplete: "tel", inputmode: "tel", required: true });
      ctl.best = input("best", { maxlength: "100", placeholder: "For example, weekday evenings" });
      ctl.consent = h("input", { id: id("consent"), type: "checkbox", required: true });
      fields = [
        field("Name or nickname (optional)", ctl.name),
        field("Phone number", ctl.phone),
        field("Best time to call (optional)", ctl.best),
        h("div", { class: "hl-check" }, ctl.consent,
          h("label", { for: ctl.consent.id }, "I agree to be called at this number")),
      ];
    } else {
      ctl.insurer = input("insurer", { maxlength: "80", required: true, placeholder: "For example, Aetna or Medicaid" });
      ctl.state = h("select", { id: id("state") }, h("option", { value: "" }, "Choose a state"),
        ...US_STATES.map(([code, name]) => h("option", { value: code }, name)));
      fields = [field("Insurance company", ctl.insurer), field("State (optional)", ctl.state)];
    }
    ctl.error = h("p", { class: "hl-form-error", id: id("error"), role: "status" });
    ctl.submit = h("button", { type: "submit", class: "hl-send" }, FORMS[kind].send);
    ctl.form = h("form", {
      class: "hl-form", id: id("form"), hidden: true, novalidate: true, "aria-label": FORMS[kind].open, "data-form": kind,
      onsubmit: (e) => (e.preventDefault(), submitForm(ctl)),
    }, ...fields, ctl.error, h("div", { class: "hl-row" }, ctl.submit, button("Cancel", () => showForm(ctl, false))));
    return ctl;
  }

  function showForm(ctl, show) {
    ctl.form.hidden = !show;
    ctl.toggle.setAttribute("aria-expanded", String(show));
    if (show) ctl.form.querySelector("input, select").focus();
    else if (ctl.form.contains(ui.root.activeElement) || !ui.root.activeElement) ctl.toggle.focus();
  }

  function submitForm(ctl) {
    if (st.form) return; // one at a time: the answer to the last one is still coming
    formError(ctl, "");
    const value = (el) => el.value.trim();
    let frame;
    if (ctl.kind === "callback") {
      if ((value(ctl.phone).match(/\d/g) || []).length < 7) return formError(ctl, "Please enter a phone number we can call.", ctl.phone);
      if (!ctl.consent.checked) return formError(ctl, "Please tick the box to agree to a call at this number.", ctl.consent);
      frame = { name: value(ctl.name), phone: value(ctl.phone), best_time: value(ctl.best), consent: true };
    } else {
      if (!value(ctl.insurer)) return formError(ctl, "Please enter the name of your insurance company.", ctl.insurer);
      frame = { insurer: value(ctl.insurer), state: ctl.state.value };
    }
    const wait = Math.ceil((st.retryUntil - Date.now()) / 1000);
    if (wait > 0) return formError(ctl, `Please wait ${wait} ${wait === 1 ? "second" : "seconds"} before sending again.`);
    frame = { v: 1, type: ctl.kind, id: newId(), ...frame };
    if (!transmit(frame)) return formError(ctl, "You're offline. Please try again once we're reconnected.");
    st.form = { frame, ctl };
    ctl.submit.disabled = true;
    ctl.submit.textContent = "Sending…";
  }

  // formError shows a problem next to the form (empty text clears it) and marks the field at fault.
  function formError(ctl, text, field) {
    ctl.error.textContent = text;
    for (const el of ctl.form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    if (!field) return;
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", ctl.error.id);
    field.focus();
  }

  // formDone ends the wait for the sent form, and closes it when the server accepted it.
  function formDone(accepted) {
    const f = st.form;
    if (!f) return;
    st.form = null;
    f.ctl.submit.disabled = false;
    f.ctl.submit.textContent = FORMS[f.ctl.kind].send;
    if (accepted) showForm(f.ctl, false);
  }
  const formAnswered = () => formDone(true);

  // ---- scrolling ----
  //
  // The log follows the conversation while the visitor is at its end, or has not scrolled since
  // the widget last did: each new message comes into view, a long one at its start, with the
  // question before it, so nobody lands at the end of an answer. Scrolled up, the visitor is left
  // where they are and gets a "New message" button instead.

  function appendToLog(el) {
    // Unconfirmed messages stay last: whatever the server confirms or replays goes above them.
    const before = el.classList.contains("hl-pending") ? null : ui.msgs.querySelector(".hl-pending");
    ui.msgs.insertBefore(el, before);
    if (el.classList.contains("hl-visitor")) {
      // The visitor wrote: they look at the end, and what comes next is read from here.
      Object.assign(st, { follow: true, readFrom: null });
      ui.newMsg.hidden = true;
    } else if (!st.readFrom) st.readFrom = el;
    if (st.follow) follow();
    else if (st.open) ui.newMsg.hidden = false;
  }
  const note = (text) => appendToLog(h("p", { class: "hl-note" }, text));

  // follow scrolls to show the first message not yet read (from its start, with the visitor's
  // question just before it, when that fits) and always the newest one: whole if it fits in the
  // log, else from its start.
  function follow() {
    const log = ui.log;
    if (!log.clientHeight) return; // closed: nothing to measure
    ui.newMsg.hidden = true;
    const view = log.clientHeight - 24; // less the log's padding
    let top = log.scrollHeight;
    const first = st.readFrom && st.readFrom.isConnected ? st.readFrom : null;
    const last = first && ui.msgs.lastElementChild;
    if (first && last) {
      const prev = first.previousElementSibling;
      const ask = prev && prev.classList.contains("hl-visitor") && first.offsetTop - prev.offsetTop < view / 3;
      const start = (ask ? prev : first).offsetTop - 8;
      const lastStart = last === first ? start : last.offsetTop - 8;
      const lastEnd = last.offsetTop + last.offsetHeight + 16 - log.clientHeight;
      top = Math.max(start, last.offsetHeight > view ? lastStart : lastEnd);
    }
    log.scrollTop = top;
    st.autoTop = log.scrollTop; // as the browser clamped it
  }

  function onScroll() {
    const log = ui.log;
    const atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
    const ours = Math.abs(log.scrollTop - st.autoTop) < 2;
    st.follow = atEnd || ours;
    if (atEnd) ui.newMsg.hidden = true;
    if (atEnd && !ours) st.readFrom = null; // the visitor scrolled to the end: all read
  }

  function clearMessages() {
    st.seen.clear();
    st.drafts.clear();
    st.last = null;
    ui.msgs.replaceChildren(...[...st.pending.values()].map((p) => p.el));
    endCrisis();
  }

  function markUnread(m) {
    // Only news counts: not a replayed history, nor the visitor's own words.
    if (st.open || m.from === "visitor" || !(Date.parse(m.time) >= st.loadedAt)) return;
    ui.launcher.classList.add("hl-unread");
    ui.launcher.setAttribute("aria-label", "Chat with us (new message)");
  }

  // ---- crisis bar ----
  //
  // A crisis reply stays where it is, in the transcript. Above it, a compact bar keeps the ways to
  // call that fit the risk one tap away for the rest of the chat; "What to do" opens the reply's
  // steps in the bar. The bar leaves when the chat closes or a new one starts, and while it is a
  // crisis nothing unrelated (the insurance check) is offered.

  function showCrisis(m) {
    st.crisis = true;
    ui.wrap.classList.add("hl-in-crisis");
    if (st.convState === "closed") return; // a closed chat's history replays without the bar
    const dismissed = load("localStorage", KEY.dismissed);
    if (dismissed && compareIds(m.id, dismissed) <= 0) return;
    const steps = h("div", { class: "hl-crisis-steps", id: "hl-crisis-steps", hidden: true });
    fillBody(steps, m);
    const text = typeof m.text === "string" ? m.text : steps.textContent;
    const kind = m.risk && typeof m.risk.kind === "string" ? m.risk.kind : "";
    const order = LINE_ORDER[kind] || [];
    const wanted = [...order, ...Object.keys(LINES).filter((k) => !order.includes(k))];
    const lines = wanted.filter((k) => LINES[k].re.test(text) || (k === "poison" && kind === "overdose")).slice(0, MAX_LINES);
    const calls = lines.map((k) => h("a", { class: "hl-call", href: LINES[k].href }, LINES[k].label));
    const toggle = button("What to do", () => toggleSteps(toggle, steps), {
      class: "hl-steps-toggle", "aria-expanded": "false", "aria-controls": steps.id,
    });
    // Hiding the bar is one tap further, under the steps, so the row stays one line on a phone.
    steps.append(button("Hide this bar", () => dismissCrisis(m.id), { class: "hl-dismiss" }));
    // The ways to call come first: at 3 a.m. with someone not breathing, the button matters most.
    ui.crisis.replaceChildren(h("div", { class: "hl-crisis-row" }, ...calls, toggle), steps);
    ui.crisis.hidden = false;
    const said = lines.map((k) => LINES[k].label).join(", ");
    ui.crisisAlert.textContent = said ? `Emergency numbers are at the top of the chat: ${said}.` : "";
  }

  function toggleSteps(toggle, steps) {
    steps.hidden = !steps.hidden;
    toggle.setAttribute("aria-expanded", String(!steps.hidden));
    toggle.textContent = steps.hidden ? "What to do" : "Hide steps";
  }

  function dismissCrisis(id) {
    save("localStorage", KEY.dismissed, id);
    hideCrisis();
    ui.input.focus();
  }

  function hideCrisis() {
    ui.crisis.hidden = true;
    ui.crisis.replaceChildren();
    ui.crisisAlert.textContent = "";
  }

  // endCrisis ends the conversation's crisis on this page: the chat closed or a new one starts.
  function endCrisis() {
    st.crisis = false;
    ui.wrap.classList.remove("hl-in-crisis");
    hideCrisis();
  }

  // ---- status lines ----

  function setState(s) {
    st.convState = STATES[s] ? s : null;
    if (st.convState !== "waiting") st.queue = null;
    // A draft the model was writing when a person took over (or the chat
    // closed) will get no message to replace it: it goes.
    if (st.convState !== "bot") for (const id of [...st.drafts.keys()]) dropDraft(id);
    renderStatus();
    const closed = st.convState === "closed";
    if (closed) hideCrisis(); // the closing notice, whole, and no bar above a chat that has ended
    ui.input.disabled = ui.send.disabled = closed;
    ui.input.placeholder = closed ? "This chat has ended" : "Type your message";
    ui.newChat.hidden = !closed;
  }

  function setQueue(f) {
    const position = Math.floor(Number(f.position));
    // A place that got worse comes with the reason, in the server's words; a better one clears it.
    const why = typeof f.reason_text === "string" ? f.reason_text : "";
    st.queue = position >= 1 ? { position, wait: Number(f.wait_seconds), why } : null;
    renderStatus();
  }

  function renderStatus() {
    const s = st.convState || "bot";
    let text = STATES[s];
    if (s === "waiting" && st.queue) {
      const { position, wait } = st.queue;
      text = `You're number ${position} in line`;
      if (Number.isFinite(wait) && wait >= 0) {
        text += wait < 60 ? " — less than a minute" : ` — about ${Math.round(wait / 60)} min`;
      }
      if (st.queue.why) text += `. ${st.queue.why}`;
    } else if (s === "rep" && st.repName) {
      text = `You're chatting with ${st.repName} from the helpline`;
    }
    if (ui.status.textContent !== text) ui.status.textContent = text;
  }

  function showTyping(from) {
    if (from !== "bot" && from !== "rep") return;
    clearTimeout(st.typing.get(from));
    st.typing.set(from, setTimeout(() => clearTyping(from), TYPING_MS));
    renderTyping();
  }
  function clearTyping(from) {
    for (const k of from ? [from] : [...st.typing.keys()]) clearTimeout(st.typing.get(k)), st.typing.delete(k);
    renderTyping();
  }
  function renderTyping() {
    ui.typing.hidden = !st.typing.size;
    // A person is named on screen; the assistant gets the dots (and a label for screen readers).
    const rep = st.typing.has("rep");
    ui.typing.classList.toggle("hl-typing-rep", rep);
    ui.typingLabel.className = rep ? "" : "hl-sr";
    ui.typingDots.hidden = rep;
    ui.typingLabel.textContent = rep ? `${st.repName || "Someone"} is typing…` : "The helpline assistant is typing";
  }

  function showError(text, ms = ERROR_MS) {
    clearTimeout(st.errorTimer);
    ui.error.textContent = text;
    if (text) st.errorTimer = setTimeout(() => (ui.error.textContent = ""), ms);
  }

  function updateOffline() {
    ui.offline.hidden = navigator.onLine && !st.down;
  }

  // ---- sending ----

  function onInput() {
    const n = ui.input.value.length;
    ui.count.textContent = n >= COUNT_FROM ? `${MAX_CHARS - n} characters left` : "";
    // Grow with the text, up to the stylesheet's max-height.
    ui.input.style.height = "auto";
    ui.input.style.height = `${ui.input.scrollHeight}px`;
  }

  // sendTyping tells a representative the visitor is typing, at most every TYPING_SEND_MS. It never
  // opens a connection: a new visitor's first keystrokes must not start a conversation.
  function sendTyping() {
    if (!ui.input.value.trim() || !st.ready || st.convState === "closed") return;
    const now = Date.now();
    if (now - st.typingSent < TYPING_SEND_MS) return;
    st.typingSent = now;
    transmit({ v: 1, type: "typing" });
  }

  function submitText() {
    const text = ui.input.value.trim();
    if (!text || ui.input.disabled) return;
    if (!sendUser("message", { text }, text)) return; // the text stays in the input
    ui.input.value = "";
    onInput();
  }

  // sendUser sends something the visitor did (a message, a choice, asking for a person) and shows
  // it at once as pending; the server's copy, with the same client_id, confirms it.
  function sendUser(type, fields, shown) {
    const wait = Math.ceil((st.retryUntil - Date.now()) / 1000);
    if (wait > 0) {
      showError(`Please wait ${wait} ${wait === 1 ? "second" : "seconds"} before sending again.`, wait * 1000);
      return false;
    }
    const frame = { v: 1, type, id: newId(), ...fields };
    const spent = disableChoices(shown);
    addPending(frame, shown, spent);
    savePending();
    transmit(frame);
    return true;
  }

  function addPending(frame, shown, spent = []) {
    const el = h("div", { class: "hl-msg hl-visitor hl-pending" }, h("span", { class: "hl-sr" }, "You: "),
      h("div", { class: "hl-body hl-plain" }, shown), h("span", { class: "hl-meta" }, "Sending…"));
    st.pending.set(frame.id, { frame, shown, el, spent });
    appendToLog(el);
  }

  function markSent(clientId, p, m) {
    st.pending.delete(clientId);
    savePending();
    p.el.classList.remove("hl-pending");
    p.el.dataset.id = m.id;
    p.el.querySelector(".hl-meta").replaceWith(meta(m.time));
    if (typeof m.text === "string") p.el.querySelector(".hl-body").textContent = m.text;
  }

  // Error frames don't say which frame they answer: it is the last one this page sent. Take it
  // back, and put its words back in the input so nothing is lost.
  function unsend(clientId) {
    const p = st.pending.get(clientId);
    if (!p) return;
    st.pending.delete(clientId);
    savePending();
    p.el.remove();
    for (const b of p.spent || []) (b.disabled = false), b.classList.remove("hl-chosen"); // the choices are still open
    if (p.frame.text && !ui.input.value) (ui.input.value = p.frame.text), onInput();
  }

  function savePending() {
    const list = [...st.pending.values()].map(({ frame, shown }) => ({ frame, shown }));
    save("sessionStorage", KEY.pending, list.length ? JSON.stringify(list) : null);
  }

  function restorePending() {
    try {
      const saved = JSON.parse(load("sessionStorage", KEY.pending)) || [];
      for (const { frame, shown } of saved) addPending(frame, shown);
    } catch { save("sessionStorage", KEY.pending, null); }
  }

  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    // randomUUID needs a secure context; a page on plain http still gets a random id.
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // transmit sends a frame if the conversation is open, and otherwise makes sure a connection is
  // on its way (pending messages and a requested delete go out after the next welcome).
  function transmit(frame) {
    if (st.ready && st.ws && st.ws.readyState === WebSocket.OPEN) {
      st.ws.send(JSON.stringify(frame));
      if (frame.id) st.lastSent = frame.id;
      return true;
    }
    if (!st.ws) connect();
    return false;
  }

  // ---- the connection ----

  function connect() {
    clearTimeout(st.timer);
    st.wanted = true;
    if (st.ws) return;
    let ws;
    try { ws = new WebSocket(cfg.ws); } catch { return reconnectLater(); }
    st.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify(hello()));
    ws.onmessage = (e) => {
      if (st.ws !== ws) return;
      clearTimeout(st.pongTimer); // any frame proves the connection is alive
      let f;
      try { f = JSON.parse(e.data); } catch { return; }
      if (f && typeof f === "object") handle(f, ws);
    };
    ws.onclose = (e) => lost(ws, e.code);
    ws.onerror = () => {}; // a close event always follows
  }

  // After a reload the page is empty: hello without `last` replays the whole conversation. After a
  // dropped connection, `last` asks only for what this page missed. `last` lives in memory, not in
  // storage: two tabs share storage but not what they have shown.
  function hello() {
    const f = { v: 1, type: "hello" };
    if (st.token) f.token = st.token;
    if (st.token && st.last) f.last = st.last;
    return f;
  }

  function handle(f, ws) {
    switch (f.type) {
      case "welcome": return onWelcome(f, ws);
      case "message": return renderMessage(f);
      case "delta": return renderDelta(f);
      case "typing":
        // A representative's typing frame may name them; otherwise the last name seen is used.
        if (f.from === "rep" && typeof f.name === "string" && f.name.trim()) (st.repName = f.name.trim()), renderStatus();
        return showTyping(f.from);
      case "queue": return setQueue(f);
      case "state": return setState(f.state);
      case "error": return onError(f);
      case "deleted": return onDeleted();
      // "pong" needs nothing more: receiving it already cleared the pong timer.
    }
  }

  function onWelcome(f, ws) {
    // An unknown or expired token starts a new conversation: what this page shows is gone.
    if ((st.conv && f.conversation !== st.conv) || (!f.resumed && st.seen.size)) clearMessages();
    st.conv = f.conversation;
    if (typeof f.token === "string" && f.token) {
      st.token = f.token;
      save("localStorage", KEY.token, f.token);
    }
    Object.assign(st, { ready: true, down: false, attempt: 0 });
    updateOffline();
    setState(f.state);
    clearInterval(st.heartbeat);
    st.heartbeat = setInterval(() => ping(ws), PING_MS);
    if (st.deleteRequested) return transmit({ v: 1, type: "delete" });
    // Retries are safe: the server ignores a client id it already has.
    for (const p of st.pending.values()) transmit(p.frame);
    if (st.form) transmit(st.form.frame);
  }

  function onError(f) {
    const message = (typeof f.message === "string" && f.message) || "Something went wrong. Please try again.";
    if (st.form && st.lastSent === st.form.frame.id) {
      // The error answers the form just sent (invalid_form, rate_limited, closed…): say so beside it.
      const { ctl } = st.form;
      formDone(false);
      formError(ctl, message);
      if (f.code === "rate_limited") st.retryUntil = Date.now() + Math.max(1, Number(f.retry_after) || 10) * 1000;
      if (f.code === "closed") setState("closed");
      return;
    }
    if (["invalid_text", "rate_limited", "closed", "unknown_entry"].includes(f.code)) unsend(st.lastSent);
    if (f.code === "closed") setState("closed");
    if (f.code === "unavailable") {
      // The service can't reach its store: what the visitor wrote stays, and is sent again (the
      // server ignores a client id it already has), until it goes through.
      const secs = Math.max(1, Math.ceil(Number(f.retry_after) || 5));
      clearTimeout(st.resendTimer);
      st.resendTimer = setTimeout(() => {
        if (st.ready) for (const p of st.pending.values()) transmit(p.frame);
      }, secs * 1000);
      return showError(message, secs * 1000);
    }
    if (f.code !== "rate_limited") return showError(message);
    const secs = Math.max(1, Math.ceil(Number(f.retry_after) || 10));
    st.retryUntil = Date.now() + secs * 1000;
    showError(`${message} You can send again in ${secs} ${secs === 1 ? "second" : "seconds"}.`, secs * 1000);
  }

  function onDeleted() {
    forgetConversation();
    note("Your conversation has been deleted. If you write again, a new chat starts.");
  }

  // forgetConversation drops the conversation from this page and this browser (not from the server).
  function forgetConversation() {
    Object.assign(st, { wanted: false, deleteRequested: false, down: false, token: null, conv: null, last: null });
    Object.assign(st, { repName: null, queue: null, form: null });
    if (st.ws) lost(st.ws);
    clearTimeout(st.timer);
    st.seen.clear();
    st.pending.clear();
    st.drafts.clear();
    for (const area of ["localStorage", "sessionStorage"]) for (const k of Object.values(KEY)) save(area, k, null);
    ui.msgs.replaceChildren();
    endCrisis();
    clearTyping();
    setState(null);
    showError("");
    updateOffline();
  }

  function ping(ws) {
    if (st.ws !== ws || !st.ready) return;
    ws.send(JSON.stringify({ v: 1, type: "ping" }));
    // A phone back from sleep can hold a dead socket that still looks open: no answer means gone.
    clearTimeout(st.pongTimer);
    st.pongTimer = setTimeout(() => lost(ws), PONG_MS);
  }

  function lost(ws, code) {
    if (st.ws !== ws) return;
    ws.onopen = ws.onmessage = ws.onclose = null;
    try { ws.close(); } catch { /* already closing */ }
    Object.assign(st, { ws: null, ready: false });
    clearInterval(st.heartbeat);
    clearTimeout(st.pongTimer);
    clearTyping();
    if (!st.wanted) return;
    if (code === 1008) {
      // The server does not accept this site: retrying cannot help.
      st.wanted = false;
      return showError("The chat can't be reached from this page right now. Please call us instead.", 60000);
    }
    reconnectLater();
  }

  function reconnectLater() {
    st.down = true;
    updateOffline();
    clearTimeout(st.timer);
    const max = Math.min(BACKOFF_MAX, BACKOFF_MIN * 2 ** st.attempt++);
    // Jitter: after a server restart, thousands of phones should not all come back in the same second.
    st.timer = setTimeout(connect, max / 2 + (Math.random() * max) / 2);
  }

  // compareIds orders server message ids ("<ms>-<seq>"); other shapes fall back to string order.
  function compareIds(a, b) {
    const [am, as = 0] = String(a).split("-").map(Number);
    const [bm, bs = 0] = String(b).split("-").map(Number);
    if ([am, as, bm, bs].some(Number.isNaN)) return a < b ? -1 : a > b ? 1 : 0;
    return am - bm || as - bs;
  }

  // ---- start ----

  function start() {
    buildUI();
    setState(null);
    restorePending();
    // A new visitor connects when they first write: nothing exists on the server before that.
    if (st.token || st.pending.size) connect();
    if (cfg.open && !matchMedia("(max-width: 479px)").matches) setOpen(true, false);

    addEventListener("offline", updateOffline);
    addEventListener("online", () => {
      updateOffline();
      if (st.wanted && !st.ws) (st.attempt = 0), connect();
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState !== "visible" || !st.wanted) return;
      if (!st.ws) connect();
      else ping(st.ws); // check at once whether the connection survived the sleep
    });
    addEventListener("storage", (e) => {
      // Another tab deleted the conversation or started a new one: follow it here too.
      if ((e.key === KEY.token || e.key === null) && !e.newValue && st.token) {
        forgetConversation();
        note("This conversation was closed in another window.");
      }
    });
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
