/*
 * helpline representatives' console (docs/console.md), served at /console.
 *
 * console.html is one static page: the server sets data-signed-in and data-error on <body>. When
 * signed out, the sign-in form is a plain form (the stylesheet alone shows it) and this script only
 * fills in the error. When signed in, this script runs the console over one websocket at
 * /console/ws: the queue, crisis alerts, live and held conversations, requests, and a tab for each
 * open conversation with its summary, transcript, private notes, reply box and actions.
 *
 * It runs under `Content-Security-Policy: default-src 'self'`: no inline scripts or styles, and
 * whatever a visitor or representative wrote only ever reaches the page as text.
 */
(() => {
  "use strict";

  const HEARTBEAT_MS = 15000; // status frame, also on open and on every change
  const TYPING_SEND_MS = 3000; // our typing frames: at most one this often
  const VISITOR_TYPING_MS = 6000; // how long one visitor typing frame shows
  const [BACKOFF_MIN, BACKOFF_MAX] = [500, 30000];
  const TOAST_MS = 8000;
  const TAKE_FOCUS_MS = 15000; // a conversation we asked to take, arriving within this, gets the focus
  const ALERT_GRACE_MS = 5000; // an alert stays at least this long even if the queue doesn't show it yet
  const HELD_ALERT_MS = 60000; // an alert about a chat someone else holds stays this long
  const CONFIRM_MS = 5000; // a button asking "click again to confirm" waits this long
  const MAX_CHARS = 2000;
  const [CANNED_TITLE, CANNED_TEXT] = [80, 2000]; // the server's limits on a canned reply
  const TOPIC_CHARS = 80; // the longest topic a tab's title (tooltip) shows; the tab itself ellipsises
  const NOTIFY_AGAIN_MS = 10000; // one conversation makes at most one sound and notification this often
  const SOUND_KEY = "helpline.console.sound"; // "off" when the representative muted the sound

  const PRIORITY = { emergency: "Emergency", urgent: "Urgent", normal: "Normal" };
  const REASONS = {
    asked: "Asked for a person",
    crisis: "Crisis",
    bot_failed: "The assistant couldn't help",
    taken_over: "Taken over from the assistant",
  };
  const KINDS = {
    clarify: "asked to clarify", fallback: "didn't know", handoff: "hand-off",
    refusal: "declined", crisis: "crisis reply",
  };
  const OUTCOMES = [
    ["information", "Information given"],
    ["referred", "Referred to treatment"],
    ["callback", "Call back arranged"],
    ["crisis_escalated", "Crisis escalated"],
    ["other", "Other"],
  ];
  const FALLBACK_ERRORS = {
    not_holder: "You don't hold that conversation (any more).",
    not_waiting: "That conversation isn't waiting any more.",
    forbidden: "You're not allowed to do that.",
    too_many: "You're at your limit of conversations. Close or hand one back first.",
    bad_frame: "The server didn't understand that. Please reload the page.",
  };
  const TAKEN = "Someone else took that conversation first, so it's in good hands. Nothing to do.";
  // Why the language model wrote no summary or draft (docs/console.md, "Written by the model").
  const MODEL_UNAVAILABLE = {
    off: "the language model is off",
    transcripts_off: "conversations may not be sent to the language model",
    crisis: "this conversation has had a crisis, so it is never sent to the language model",
    unscreened: "this conversation's risk could not be read",
    busy: "one is already being written for this conversation",
    rate_limited: "you have asked for many in the last minute; try again shortly",
    rate_budget: "the language model's budget for this minute is spent",
    token_budget: "the language model's budget for this month is spent",
    timeout: "the language model took too long",
    error: "the language model could not be reached",
    no_question: "the visitor has not written anything to answer yet",
    no_entries: "nothing in the knowledge base fits",
    not_found: "this conversation no longer exists",
  };
  const MODEL_CHECKS = "what the language model wrote did not pass the checks";
  const modelWhy = (reason) => MODEL_UNAVAILABLE[str(reason)] || MODEL_CHECKS;

  const $ = (id) => document.getElementById(id);
  const body = document.body;

  // ---- signed out: the form works without us; show the server's error ----

  if (body.dataset.signedIn === "false") {
    const error = body.dataset.error || "";
    if (error && !error.startsWith("{{")) {
      $("signin-error").textContent = error;
      $("signin-name").focus();
    }
    return;
  }

  // ---- signed in ----

  const S = {
    ws: null,
    ready: false, // welcome received on the current socket
    attempt: 0, // reconnects since the last welcome
    timer: 0, heartbeat: 0,
    retryAt: 0, // when the next reconnect is due (ms), for the countdown
    me: null, role: "", maxChats: 0,
    modelAssist: false, // the language model writes summaries and drafts (the welcome says)
    presence: loadPresence(),
    queue: [], live: [], mine: [], requests: [], canned: [],
    mineSeen: null, // conversations in the previous mine frame (null before the first one)
    convs: new Map(), // conversation id → Conv (one tab each), in tab order
    active: null, // id of the conversation in view
    alerts: new Map(), // conversation id → { el, at, waiting }
    alerted: { queue: new Set(), live: new Set() }, // crises in each list already alerted (or seen) here
    take: { at: 0, target: null }, // our last take: when, and of which conversation (null: next)
    lastSent: null, // the last frame an error could answer
    queueSeen: null, // conversations in the previous queue frame (null before the first one)
    notified: new Map(), // what happened to which conversation → when it last made a sound or notification
    audio: null, // the AudioContext for the beep, made at the first click or key (autoplay rules)
    sound: loadSound(),
  };

  // h builds an element. Strings among the children become text nodes, never HTML.
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === "class") el.className = v;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : v);
    }
    put(el, kids, true);
    return el;
  }
  // put replaces (or with add, extends) an element's children, skipping null and false.
  function put(el, kids, add) {
    const nodes = [kids].flat(Infinity).filter((k) => k != null && k !== false);
    if (add) el.append(...nodes);
    else el.replaceChildren(...nodes);
  }
  const button = (label, onclick, attrs) => h("button", { type: "button", onclick, ...attrs }, label);
  const short = (id) => `#${String(id).slice(0, 6)}`;
  const str = (v) => (typeof v === "string" ? v : v == null ? "" : String(v));
  const list = (v) => (Array.isArray(v) ? v : []);

  // ---- time ----

  function toMs(v) {
    if (typeof v === "number") return v < 1e12 ? v * 1000 : v; // seconds or milliseconds
    return typeof v === "string" ? Date.parse(v) : NaN;
  }
  function clock(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    const [hh, mm, ss] = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
    const two = (n) => String(n).padStart(2, "0");
    return hh ? `${hh}:${two(mm)}:${two(ss)}` : `${mm}:${two(ss)}`;
  }
  function ago(ms) {
    const m = Math.floor(ms / 60000);
    if (!(m >= 1)) return "just now";
    return m < 60 ? `${m} min ago` : `${Math.floor(m / 60)} h ${m % 60} min ago`;
  }
  function duration(secs) {
    const s = Math.max(0, Math.round(Number(secs) || 0));
    if (s < 60) return `${s} s`;
    if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ""}`;
    return `${Math.floor(s / 3600)} h ${Math.floor(s / 60) % 60} min`;
  }
  function hhmm(v) {
    const t = toMs(v);
    return Number.isFinite(t) ? new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "";
  }
  // A clock that counts up (since) or a relative time (ago); the ticker keeps both current.
  function since(v) {
    const t = toMs(v);
    return Number.isFinite(t) ? h("span", { class: "clock", "data-since": t }, clock(Date.now() - t)) : null;
  }
  function agoEl(v) {
    const t = toMs(v);
    return Number.isFinite(t) ? h("span", { class: "ago", "data-ago": t }, ago(Date.now() - t)) : null;
  }

  function tick() {
    const now = Date.now();
    for (const el of document.querySelectorAll("[data-since]")) {
      const t = Number(el.dataset.since);
      if (Number.isFinite(t)) el.textContent = clock(now - t);
    }
    for (const el of document.querySelectorAll("[data-ago]")) {
      const t = Number(el.dataset.ago);
      if (Number.isFinite(t)) el.textContent = ago(now - t);
    }
    syncAlerts();
    if (!S.ws && S.retryAt) setConn("offline", `Disconnected — reconnecting in ${Math.max(1, Math.ceil((S.retryAt - now) / 1000))} s`);
  }

  // ---- badges ----

  function prioBadge(p) {
    const key = PRIORITY[p] ? p : "normal";
    return h("span", { class: `badge prio-${key}` }, PRIORITY[key]);
  }
  function riskBadge(kind, level) {
    if (!kind || kind === "none") return null;
    const lvl = PRIORITY[level] ? ` prio-${level}` : "";
    return h("span", { class: `badge risk${lvl}` }, h("span", { "aria-hidden": "true" }, "⚠ "),
      str(kind).replace(/_/g, " "), level ? ` (${level})` : "");
  }
  function stateText(state, holder) {
    if (state === "rep") return holder && holder === S.me ? "With you" : `With ${holder || "a representative"}`;
    return { bot: "With the assistant", waiting: "Waiting", closed: "Closed", deleted: "Deleted by the visitor" }[state] || str(state) || "…";
  }
  // The lists use short names; the full ones are in the tab and the panel.
  function stateBadge(state, holder) {
    const text = state === "rep" ? (holder && holder === S.me ? "You" : str(holder) || "Representative")
      : { bot: "Assistant", waiting: "Waiting", closed: "Closed", deleted: "Deleted" }[state] || str(state);
    return h("span", { class: `badge state state-${state}`, title: stateText(state, holder) }, text);
  }
  // Whether the visitor is still there: online, offline since a time, or gone and out of the queue.
  function visitorBadge(it) {
    if (typeof it.visitor_online !== "boolean") return null;
    if (it.visitor_online) return h("span", { class: "badge visitor visitor-online" }, "Visitor online");
    const left = it.left_at ? agoEl(it.left_at) : null;
    const seen = !left && it.visitor_seen ? agoEl(it.visitor_seen) : null;
    return h("span", { class: "badge visitor visitor-offline" },
      left ? ["Left the queue ", left] : seen ? ["Visitor offline · seen ", seen] : "Visitor offline");
  }
  function unreadBadge(id) {
    const n = S.convs.get(id)?.unread || 0;
    return n ? h("span", { class: "unread" }, String(n), h("span", { class: "sr" }, n === 1 ? " new message" : " new messages")) : null;
  }

  // ---- the sidebar lists ----

  // renderList rebuilds a list, keeping the keyboard focus on the same button of the same item.
  function renderList(name, items, build) {
    const ul = $(name);
    const f = document.activeElement;
    const keep = ul.contains(f) && f.dataset.key ? [f.dataset.key, f.dataset.act] : null;
    ul.replaceChildren(...items.map(build));
    ul.hidden = items.length === 0;
    $(`${name}-empty`).hidden = items.length > 0;
    $(`${name}-count`).textContent = String(items.length);
    if (!keep) return;
    const again = [...ul.querySelectorAll("[data-key]")].find((b) => b.dataset.key === keep[0] && b.dataset.act === keep[1]);
    if (again && !again.disabled) again.focus();
    else focusHeading(`${name}-title`);
  }
  function focusHeading(id) {
    const el = $(id);
    el.tabIndex = -1;
    el.focus();
  }

  // act makes a list button that says which item and action it is, so focus can find it again.
  const act = (label, key, name, onclick, attrs) => button(label, onclick, { "data-key": key, "data-act": name, ...attrs });

  function renderQueue() {
    renderList("queue", S.queue, (q) => {
      const id = str(q.conversation);
      const prio = PRIORITY[q.priority] ? q.priority : "normal";
      const what = `${short(id)}, ${PRIORITY[prio]}${q.risk_kind ? `, ${q.risk_kind}` : ""}`;
      return h("li", { class: `item prio-line-${prio}` },
        h("div", { class: "item-top" }, prioBadge(prio), riskBadge(q.risk_kind), visitorBadge(q),
          h("span", { class: "waited", title: "Waiting" }, h("span", { class: "sr" }, "waiting "), since(q.waiting_since))),
        h("div", { class: "item-main" },
          h("div", null, h("p", { class: "reason" }, REASONS[q.reason] || str(q.reason)),
            q.preview ? h("p", { class: "preview" }, str(q.preview)) : null),
          takeable(act("Take", id, "take", (e) => take(id, e.currentTarget), { class: "primary", "aria-label": `Take ${what}` }))));
    });
    takeable($("take-next"), S.queue.length > 0);
    $("take-next").textContent = "Take next";
    renderLimit();
    syncAlerts();
  }

  function renderMine() {
    renderList("mine", S.mine, (m) => {
      const id = str(m.conversation);
      const current = id === S.active;
      return h("li", { class: `item mine-item${current ? " current" : ""}` },
        act(h("span", { class: "mine-label" },
          h("span", { class: "conv-id" }, short(id)), riskBadge(m.risk_kind), unreadBadge(id),
          h("span", { class: "muted" }, m.last_activity ? agoEl(m.last_activity) : ""),
          S.convs.has(id) && topicOf(S.convs.get(id)) ? h("span", { class: "mine-topic" }, topicOf(S.convs.get(id))) : null),
        id, "show", () => showConv(id, true), { class: "item-open", "aria-current": current ? "true" : null }));
    });
    const n = S.mine.length;
    $("mine-count").textContent = S.maxChats ? `${n} of ${S.maxChats}` : String(n);
  }

  // Crises nobody is answering come first in the live list, then the rest as the server orders them.
  const unanswered = (l) => (l.state === "bot" || l.state === "waiting") && (l.risk_level === "emergency" || l.risk_level === "urgent");
  function renderLive() {
    const live = [...S.live.filter(unanswered), ...S.live.filter((l) => !unanswered(l))];
    renderList("live", live, (l) => {
      const id = str(l.conversation);
      const held = l.state === "rep" && l.holder === S.me;
      const canTake = !held && (l.state === "bot" || l.state === "waiting");
      const watch = S.convs.has(id) ? "Show" : "Watch";
      const takeLabel = l.state === "bot" ? "Take over" : "Take";
      return h("li", { class: "item" },
        h("div", { class: "item-top" }, h("span", { class: "conv-id" }, short(id)), stateBadge(l.state, l.holder),
          riskBadge(l.risk_kind), visitorBadge(l), h("span", { class: "muted" }, l.last_activity ? agoEl(l.last_activity) : "")),
        l.preview ? h("p", { class: "preview" }, str(l.preview)) : null,
        h("div", { class: "item-actions" },
          act(watch, id, "watch", () => showConv(id, true), { "aria-label": `${watch} ${short(id)}` }),
          canTake ? takeable(act(takeLabel, id, "take", (e) => take(id, e.currentTarget), { "aria-label": `${takeLabel} ${short(id)}` })) : null));
    });
  }

  function renderRequests() {
    renderList("requests", S.requests, (r) => {
      const id = str(r.id);
      const callback = r.kind === "callback";
      const lines = callback
        ? [r.name ? h("p", null, str(r.name)) : null,
          r.phone ? h("p", null, h("a", { href: `tel:${str(r.phone).replace(/[^\d+]/g, "")}` }, str(r.phone))) : null,
          r.best_time ? h("p", { class: "muted" }, `Best time: ${str(r.best_time)}`) : null]
        : [h("p", null, str(r.insurer) || "(no insurer given)"), r.state ? h("p", { class: "muted" }, `State: ${str(r.state)}`) : null];
      return h("li", { class: "item" },
        h("div", { class: "item-top" },
          h("span", { class: `badge req-${callback ? "callback" : "insurance"}` }, callback ? "Call back" : "Insurance check"),
          r.time ? h("span", { class: "muted" }, agoEl(r.time)) : null),
        h("div", { class: "req-lines" }, lines),
        h("div", { class: "item-actions" },
          r.conversation ? act("Open chat", id, "open", () => showConv(str(r.conversation), true)) : null,
          act("Done", id, "done", (e) => requestDone(id, e.currentTarget), { "aria-label": `Mark ${callback ? "call back" : "insurance check"} request done` })));
    });
  }

  function requestDone(id, btn) {
    if (!send({ type: "request_done", id })) return;
    btn.disabled = true;
    btn.textContent = "Marking…";
  }

  // ---- taking, and the chat limit ----

  // At the limit (max_chats in the welcome; the mine list says how many are held) nothing can be
  // taken: every take button is disabled and says why, in its title and through aria-describedby.
  const atLimit = () => S.maxChats > 0 && S.mine.length >= S.maxChats;
  const limitText = () => `You hold ${S.mine.length} of ${S.maxChats} conversations, your limit: close or hand one back to take another.`;

  // takeable sets whether a take button can be used now (ok: it could be, limit apart), and returns it.
  function takeable(btn, ok = true) {
    const limit = atLimit();
    btn.disabled = !ok || !S.ready || limit;
    if (limit) {
      btn.title = limitText();
      btn.setAttribute("aria-describedby", "limit-note");
    } else {
      btn.removeAttribute("title");
      btn.removeAttribute("aria-describedby");
    }
    return btn;
  }
  function renderLimit() {
    const note = $("limit-note");
    note.hidden = !atLimit();
    note.textContent = atLimit() ? limitText() : "";
  }

  function take(id, btn) {
    const f = { type: "take" };
    if (id) f.conversation = id;
    if (!send(f)) return;
    S.take = { at: Date.now(), target: id || null };
    if (btn) {
      btn.disabled = true;
      btn.textContent = "Taking…";
      // The answer is a new queue and mine (or an error); if neither comes, the button comes back.
      setTimeout(() => btn.isConnected && btn.disabled && settle(), 6000);
    }
  }

  function renderTabs() {
    for (const conv of S.convs.values()) renderTab(conv);
  }

  function renderAllLists() {
    renderQueue();
    renderMine();
    renderLive();
    renderRequests();
  }

  // settle brings back every button left waiting ("Taking…", "Marking…") and redraws the tabs.
  function settle() {
    renderAllLists();
    for (const conv of S.convs.values()) updateConv(conv);
    for (const b of document.querySelectorAll(".alert-take")) (takeable(b), (b.textContent = b.dataset.label));
  }

  function onMine(items) {
    S.mine = items;
    const first = S.mineSeen === null;
    const seen = S.mineSeen || new Set();
    S.mineSeen = new Set(items.map((m) => str(m.conversation)));
    for (const m of items) {
      const id = str(m.conversation);
      const conv = S.convs.get(id) || openConv(id);
      Object.assign(conv, { state: m.state || "rep", holder: S.me });
      updateConv(conv);
      if (seen.has(id)) continue;
      const asked = Date.now() - S.take.at < TAKE_FOCUS_MS && (!S.take.target || S.take.target === id);
      if (asked) {
        S.take = { at: 0, target: null };
        showConv(id, true);
      } else if (!first) {
        toast(`${short(id)} is now yours.`, "info");
      }
      if (!S.active) showConv(id, false);
    }
    settle(); // the count decides whether anything can be taken
  }

  // ---- new chats: the title, a sound, a desktop notification ----

  // A conversation new in the queue (not one already there when this console first saw it) makes
  // a sound and a notification; a crisis among them also gets its alert (onAlert).
  function onQueue(items) {
    S.queue = items;
    // The queue as this console first saw it is known: what joins it from now on is new (and the
    // browser tests wait for this before making a visitor wait).
    $("queue").dataset.seen = "1";
    alertWaiting("queue", S.queue);
    const seen = S.queueSeen;
    S.queueSeen = new Set(items.map((q) => str(q.conversation)));
    for (const q of seen ? items : []) {
      const id = str(q.conversation);
      if (seen.has(id)) continue;
      const prio = PRIORITY[q.priority] ? q.priority : "normal";
      announce(`chat ${id}`, id, prio === "normal" ? "New chat waiting" : "Crisis waiting",
        `${REASONS[q.reason] || "A visitor is waiting for a person"} · ${PRIORITY[prio]}`, prio !== "normal");
    }
    renderQueue();
    renderTabs();
    updateTitle();
  }

  // announce rings and notifies, at most once in a while for one key (what happened, to which
  // conversation: a crisis joining the queue also alerts, and rings once).
  function announce(key, id, title, text, urgent) {
    const now = Date.now();
    if (now - (S.notified.get(key) || 0) < NOTIFY_AGAIN_MS) return;
    S.notified.set(key, now);
    if (S.notified.size > 200) for (const [k, t] of S.notified) if (now - t > NOTIFY_AGAIN_MS) S.notified.delete(k);
    beep(urgent);
    notify(id, title, text);
  }

  // Browsers let a page make sound only after a click or key press on it: the AudioContext is
  // made (or woken) then, and a beep before that stays silent rather than playing late.
  function audio() {
    const AC = window.AudioContext || window.webkitAudioContext;
    if (!S.audio && AC) try { S.audio = new AC(); } catch { /* no sound on this machine */ }
    return S.audio;
  }
  function unlockAudio() {
    const ctx = audio();
    if (ctx && ctx.state === "suspended") ctx.resume().catch(() => {});
  }

  // beep is a short tone made on the spot (no sound file): one for a chat, three higher for a crisis.
  function beep(urgent) {
    if (!S.sound) return;
    const ctx = audio();
    if (!ctx || ctx.state !== "running") return;
    const t0 = ctx.currentTime;
    for (const dt of urgent ? [0, 0.25, 0.5] : [0]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = urgent ? 988 : 784;
      gain.gain.setValueAtTime(0.0001, t0 + dt);
      gain.gain.exponentialRampToValueAtTime(0.25, t0 + dt + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + dt + 0.18);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0 + dt);
      osc.stop(t0 + dt + 0.2);
    }
  }

  function loadSound() {
    try { return localStorage.getItem(SOUND_KEY) !== "off"; } catch { return true; }
  }
  function setSound(on) {
    S.sound = on;
    try { localStorage.setItem(SOUND_KEY, on ? "on" : "off"); } catch { /* memory only */ }
    $("sound").setAttribute("aria-pressed", String(on));
    $("sound").title = on ? "A sound plays for a new chat. Click to mute." : "Muted. Click to play a sound for a new chat.";
  }

  // A desktop notification, when the representative allowed them and is not looking at the console.
  // It names no visitor's words: screens are seen by others.
  function notify(id, title, text) {
    const N = window.Notification;
    if (!N || N.permission !== "granted") return;
    if (document.visibilityState === "visible" && document.hasFocus()) return;
    try {
      const n = new N(title, { body: text, tag: `helpline-${id}` });
      n.onclick = () => {
        window.focus();
        n.close();
        showConv(id, true);
      };
    } catch { /* some browsers notify only from a service worker */ }
  }

  // Permission is asked only when the representative clicks "Enable notifications".
  function renderNotify() {
    const N = window.Notification;
    const p = N ? N.permission : "unsupported";
    $("notify-enable").hidden = p !== "default";
    $("notify-state").hidden = p === "default";
    $("notify-state").textContent = { granted: "Notifications on", denied: "Notifications blocked in the browser" }[p] || "No desktop notifications in this browser";
  }
  function enableNotify() {
    const N = window.Notification;
    if (!N) return renderNotify();
    const done = () => {
      renderNotify();
      if ($("notify-enable").hidden) focusHeading("notify-state");
    };
    Promise.resolve(N.requestPermission()).then(done, done);
  }

  // ---- crisis alerts ----

  // An alert is worded for where the conversation is; the server sends none for a crisis the viewer
  // holds. Only crises nobody is answering (the queue, or live with the assistant) count as "waiting".
  function onAlert(f) {
    const id = str(f.conversation);
    const known = S.alerts.has(id);
    S.alerts.get(id)?.el.remove();
    const level = [f.risk_level, f.priority].find((l) => PRIORITY[l]) || "emergency";
    const kind = str(f.risk_kind).replace(/_/g, " ") || "crisis";
    const state = str(f.state) || "waiting";
    const holder = str(f.holder);
    if (state === "rep" && holder === S.me) return dismissAlert(id);
    const where = {
      waiting: "New crisis in the queue: ",
      bot: "Crisis in a chat with the assistant: ",
      rep: `Crisis in a chat ${holder || "another representative"} holds: `,
    }[state] || "Crisis: ";
    const actions = state === "rep"
      ? [button("Watch", () => { showConv(id, true); dismissAlert(id); }, { "aria-label": `Watch ${short(id)}` })]
      : [takeable(button(state === "bot" ? "Take over" : "Take it", (e) => take(id, e.currentTarget),
        { class: "alert-take", "data-label": state === "bot" ? "Take over" : "Take it" }))];
    const el = h("div", { class: `alert alert-${level}`, "data-state": state },
      h("p", null, h("strong", null, where), `${kind} (${level}), ${short(id)}`),
      h("div", { class: "alert-actions" }, ...actions,
        button("Dismiss", () => dismissAlert(id), { "aria-label": `Dismiss the alert for ${short(id)}` })));
    S.alerts.set(id, { el, at: Date.now(), waiting: state !== "rep" });
    $("alerts").append(el);
    updateTitle();
    if (!known && state !== "rep") announce(`chat ${id}`, id, "Crisis waiting", `${kind} (${level}) · ${where.replace(/: $/, "")}`, true);
  }

  // A crisis nobody answers when this console connects alerts at once, as if it had just come in:
  // one in the queue, or one that came while nobody was online and so stayed with the assistant.
  function alertWaiting(what, items) {
    const seen = S.alerted[what];
    S.alerted[what] = new Set();
    for (const it of items) {
      const id = str(it.conversation);
      const level = what === "queue" ? it.priority : it.risk_level;
      const open = what === "queue" || it.state === "bot";
      if (!open || !PRIORITY[level] || level === "normal") continue;
      S.alerted[what].add(id);
      if (!seen.has(id) && !S.alerts.has(id)) {
        onAlert({ conversation: id, priority: level, risk_kind: it.risk_kind || "", state: what === "queue" ? "waiting" : "bot" });
      }
    }
  }

  function dismissAlert(id) {
    const a = S.alerts.get(id);
    if (!a) return;
    const hadFocus = a.el.contains(document.activeElement);
    a.el.remove();
    S.alerts.delete(id);
    updateTitle();
    if (hadFocus) focusHeading("queue-title");
  }

  // Once a crisis has left the queue (someone took it), its alert goes; at once when this
  // representative holds it now. One about a chat held by someone else is news, not a task, and goes
  // after a while. Checked on every list change and every second, so an alert whose grace ran out
  // while nothing else changed goes too.
  function syncAlerts() {
    if (!S.alerts.size) return;
    const waiting = new Set(S.queue.map((q) => str(q.conversation)));
    for (const l of S.live) if (l.state === "bot") waiting.add(str(l.conversation));
    const mine = new Set(S.mine.map((m) => str(m.conversation)));
    for (const [id, a] of S.alerts) {
      const age = Date.now() - a.at;
      const conv = S.convs.get(id);
      if (mine.has(id) || (conv && mineNow(conv))) dismissAlert(id);
      else if (a.waiting ? !waiting.has(id) && age > ALERT_GRACE_MS : age > HELD_ALERT_MS) dismissAlert(id);
    }
  }

  // ---- tabs and conversation panels ----

  // openConv makes a tab for a conversation and follows it (open); it does not show it.
  function openConv(id) {
    const conv = {
      id, state: null, holder: null, summary: null, unread: 0,
      seen: new Set(), pending: new Map(), typingSent: 0, typingTimer: 0, leaving: false, els: {},
    };
    buildTab(conv);
    buildPanel(conv);
    S.convs.set(id, conv);
    send({ type: "open", conversation: id });
    $("nothing").hidden = true;
    updateConv(conv);
    return conv;
  }

  function showConv(id, focus) {
    const conv = S.convs.get(id) || openConv(id);
    S.active = id;
    for (const c of S.convs.values()) {
      const on = c === conv;
      c.els.panel.hidden = !on;
      c.els.tabBtn.setAttribute("aria-selected", String(on));
      c.els.tabBtn.tabIndex = on ? 0 : -1;
      c.els.tab.classList.toggle("active", on);
    }
    conv.els.tab.scrollIntoView({ block: "nearest", inline: "nearest" });
    markRead(conv);
    scrollToEnd(conv);
    if (focus) (conv.els.reply.disabled ? conv.els.tabBtn : conv.els.reply).focus();
    renderMine();
    renderLive();
  }

  function closeConv(conv) {
    send({ type: "close_view", conversation: conv.id });
    const tabs = [...S.convs.keys()];
    const i = tabs.indexOf(conv.id);
    const f = document.activeElement;
    const hadFocus = !f || f === document.body || conv.els.panel.contains(f) || conv.els.tab.contains(f);
    conv.els.tab.remove();
    conv.els.panel.remove();
    clearTimeout(conv.typingTimer);
    S.convs.delete(conv.id);
    if (S.active === conv.id) {
      S.active = null;
      const next = tabs[i + 1] || tabs[i - 1];
      if (next && next !== conv.id) showConv(next, false);
    }
    if (hadFocus && S.active) S.convs.get(S.active).els.tabBtn.focus();
    else if (hadFocus) focusHeading("queue-title");
    $("nothing").hidden = S.convs.size > 0;
    updateTitle();
    renderMine();
    renderLive();
  }

  // A tab says what the conversation is about (the visitor's first question, ellipsised, in full in
  // its title), its risk, whose it is and how many messages are unread.
  function renderTab(conv) {
    const e = conv.els;
    const topic = topicOf(conv);
    const r = riskOf(conv);
    const full = topic.length > TOPIC_CHARS ? `${topic.slice(0, TOPIC_CHARS - 1)}…` : topic;
    e.tabBtn.title = `${full} (${short(conv.id)}${r.kind ? `, ${r.kind.replace(/_/g, " ")}` : ""})`;
    put(e.tabLabel, [
      r.kind ? h("span", { class: `tab-risk badge risk${PRIORITY[r.level] ? ` prio-${r.level}` : ""}` },
        h("span", { "aria-hidden": "true" }, "⚠ "), r.kind.replace(/_/g, " "), h("span", { class: "sr" }, " risk: ")) : null,
      h("span", { class: "tab-topic" }, topic || short(conv.id)),
      h("span", { class: "sr" }, `, ${short(conv.id)}, ${stateText(conv.state, conv.holder)}`),
      h("span", { class: `dot state-${conv.state}`, "aria-hidden": "true" }),
      conv.unread ? h("span", { class: "unread" }, String(conv.unread), h("span", { class: "sr" }, conv.unread === 1 ? " new message" : " new messages")) : null]);
  }

  // listed finds a conversation in the lists the server sends, freshest facts first.
  const listed = (id) => [S.mine, S.queue, S.live].map((l) => l.find((i) => str(i.conversation) === id)).find(Boolean);

  // topicOf is the visitor's first question: from the summary, else the first visitor message in
  // the transcript, else the preview of the latest one in a list, until the transcript comes.
  function topicOf(conv) {
    const q = list(conv.summary?.questions).map((x) => (typeof x === "string" ? x : str(x?.text))).find(Boolean);
    const t = q || conv.firstQuestion || str(listed(conv.id)?.preview);
    return t.replace(/\s+/g, " ").trim();
  }
  function riskOf(conv) {
    const it = listed(conv.id);
    const s = conv.summary || {};
    const kind = [it?.risk_kind, s.risk_kind, conv.risk?.kind].map(str).find((k) => k && k !== "none") || "";
    const level = [it?.risk_level, it?.priority, s.risk_level, conv.risk?.level].find((l) => PRIORITY[l] && l !== "normal") || "";
    return { kind, level };
  }

  function buildTab(conv) {
    const e = conv.els;
    e.tabLabel = h("span", { class: "tab-label" });
    e.tabBtn = h("button", {
      type: "button", role: "tab", id: `tab-${conv.id}`, "aria-controls": `panel-${conv.id}`,
      "aria-selected": "false", tabindex: "-1", class: "tab-btn",
      onclick: () => showConv(conv.id, false), onkeydown: (ev) => tabKeys(ev, conv),
    }, e.tabLabel);
    // A tablist holds only tabs: the × is a shortcut for the mouse, outside the accessibility tree
    // and the tab order; the keyboard has Delete on the tab and "Stop watching" in the panel.
    e.tabClose = button("×", () => closeConv(conv), { class: "tab-close", tabindex: "-1", "aria-hidden": "true", title: "Stop watching" });
    e.tab = h("div", { class: "tab", role: "presentation" }, e.tabBtn, e.tabClose);
    $("tabs").append(e.tab);
  }

  // Arrow keys, Home and End move between tabs, as in the ARIA tabs pattern; Delete stops
  // watching a conversation one does not hold.
  function tabKeys(ev, conv) {
    if (ev.key === "Delete" && !mineNow(conv)) return (ev.preventDefault(), closeConv(conv));
    const ids = [...S.convs.keys()];
    const i = ids.indexOf(conv.id);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: ids.length - 1 }[ev.key];
    if (to === undefined) return;
    ev.preventDefault();
    const id = ids[(to + ids.length) % ids.length];
    showConv(id, false);
    S.convs.get(id).els.tabBtn.focus();
  }

  function buildPanel(conv) {
    const e = conv.els;
    const pid = (part) => `${part}-${conv.id}`;
    e.title = h("h2", { class: "conv-title" }, h("span", { class: "sr" }, "Conversation "), short(conv.id));
    e.state = h("span", { class: "badge state" });
    e.takeBtn = button("Take", (ev) => take(conv.id, ev.currentTarget), { class: "primary" });
    e.handback = button("Hand back to assistant", () => confirmThen(e.handback, "Click again to hand back", () => {
      if (send({ type: "handback", conversation: conv.id })) conv.leaving = true;
    }));
    e.transfer = button("Transfer…", () => openTransfer(conv), { hidden: true });
    e.stopBtn = button("Stop watching", () => closeConv(conv));
    e.outcome = h("select", { id: pid("outcome") }, h("option", { value: "" }, "Outcome…"),
      ...OUTCOMES.map(([v, label]) => h("option", { value: v }, label)));
    e.closeBtn = button("Close", () => closeWithOutcome(conv), { class: "danger", "aria-label": "Close the conversation with this outcome" });
    const head = h("header", { class: "panel-head" },
      h("div", { class: "panel-title" }, e.title, e.state),
      h("div", { class: "panel-actions" }, e.takeBtn, e.handback, e.transfer, e.stopBtn,
        e.closeGroup = h("div", { class: "close-group", role: "group", "aria-label": "Close with an outcome" },
          h("label", { for: e.outcome.id, class: "sr" }, "Outcome"), e.outcome, e.closeBtn)));

    e.summary = h("details", { class: "summary", open: true, hidden: true });
    // The language model's summary, under the one built from the conversation (renderSummary keeps it there).
    e.summarizeBtn = button("Summarize", () => requestSummary(conv), { class: "summarize-btn", "aria-describedby": pid("model-summary-status") });
    e.modelSummaryStatus = h("p", { class: "hint", id: pid("model-summary-status"), role: "status" });
    e.modelSummaryText = h("div", { class: "plain model-summary-text", hidden: true });
    e.modelSummary = h("div", { class: "model-summary", hidden: true },
      h("div", { class: "box-head" }, e.summarizeBtn, e.modelSummaryStatus), e.modelSummaryText);

    e.log = h("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": `Transcript of ${short(conv.id)}`, tabindex: "0" });
    e.typing = h("p", { class: "typing", hidden: true }, "The visitor is typing…");

    e.reply = h("textarea", { id: pid("reply"), rows: "3", maxlength: MAX_CHARS, "aria-describedby": pid("reply-hint") });
    e.reply.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) (ev.preventDefault(), sendReply(conv));
    });
    e.reply.addEventListener("input", () => sendTyping(conv));
    e.reply.addEventListener("input", () => { if (!e.reply.value.trim()) undraft(conv); });
    e.send = h("button", { type: "submit", class: "primary" }, "Send");
    e.replyHint = h("p", { class: "hint", id: pid("reply-hint") });
    // A draft by the language model fills the box, marked as such; only Send sends it.
    e.draftBtn = button("Draft a reply", () => requestDraft(conv), { class: "draft-btn", hidden: true, "aria-describedby": pid("draft-note") });
    e.draftNote = h("p", { class: "hint draft-note", id: pid("draft-note"), role: "status" });
    const reply = h("form", { class: "reply", onsubmit: (ev) => (ev.preventDefault(), sendReply(conv)) },
      h("label", { for: e.reply.id }, "Reply to the visitor"), h("div", { class: "reply-row" }, e.reply, e.send),
      h("div", { class: "reply-tools" }, e.draftBtn, e.draftNote), e.replyHint);

    e.notes = h("ul", { class: "notes-list" });
    e.note = h("textarea", { id: pid("note"), rows: "2", maxlength: MAX_CHARS, "aria-describedby": pid("private") });
    const notes = h("section", { class: "notes", "aria-labelledby": pid("notes-title") },
      h("h3", { id: pid("notes-title") }, "Notes"),
      h("p", { class: "private", id: pid("private") }, "Private — the visitor never sees this"),
      e.notes,
      h("form", { class: "note-form", onsubmit: (ev) => (ev.preventDefault(), addNote(conv)) },
        h("label", { for: e.note.id, class: "sr" }, "New private note"), e.note,
        h("button", { type: "submit" }, "Add note")));

    e.suggestBtn = button("Suggestions", () => suggest(conv));
    e.suggestions = h("ul", { class: "suggestions-list" });
    e.suggestStatus = h("p", { class: "hint", role: "status" });
    const suggestions = h("section", { class: "suggest", "aria-labelledby": pid("suggest-title") },
      h("div", { class: "box-head" }, h("h3", { id: pid("suggest-title") }, "Answers from the knowledge base"), e.suggestBtn),
      e.suggestStatus, e.suggestions);

    // The supervisors' canned replies, beside the suggestions: inserted, never sent by themselves.
    e.canned = h("ul", { class: "suggestions-list canned-list" });
    e.cannedStatus = h("p", { class: "hint" });
    const canned = h("section", { class: "suggest canned", "aria-labelledby": pid("canned-title") },
      h("div", { class: "box-head" }, h("h3", { id: pid("canned-title") }, "Canned replies")),
      e.cannedStatus, e.canned);

    e.panel = h("section", {
      class: "panel", id: `panel-${conv.id}`, role: "tabpanel", "aria-labelledby": `tab-${conv.id}`, hidden: true,
    }, head,
    h("div", { class: "panel-body" },
      h("div", { class: "convo" }, e.summary, e.log, e.typing, reply),
      h("div", { class: "panel-side" }, notes, suggestions, canned)));
    $("panels").append(e.panel);
    renderCannedIn(conv);
  }

  const mineNow = (conv) => conv.state === "rep" && !!S.me && conv.holder === S.me;

  // updateConv brings a conversation's tab and panel in line with its state and who holds it.
  function updateConv(conv) {
    const e = conv.els;
    const mine = mineNow(conv);
    const sup = S.role === "supervisor";
    const closed = conv.state === "closed" || conv.state === "deleted";
    e.state.className = `badge state state-${conv.state}`;
    e.state.textContent = stateText(conv.state, conv.holder);
    e.takeBtn.hidden = mine || !(conv.state === "waiting" || conv.state === "bot");
    e.takeBtn.textContent = conv.state === "bot" ? "Take over" : "Take";
    takeable(e.takeBtn);
    // Only what this representative may do now is shown.
    e.handback.hidden = !mine;
    e.transfer.hidden = !sup || !(conv.state === "rep" || conv.state === "waiting");
    e.closeGroup.hidden = closed || !(mine || sup);
    e.reply.disabled = e.send.disabled = !mine;
    e.draftBtn.hidden = e.modelSummary.hidden = !S.modelAssist;
    e.draftBtn.disabled = !mine || !!conv.drafting;
    e.summarizeBtn.disabled = !!conv.summarizing;
    e.replyHint.textContent = mine ? "Enter sends · Shift+Enter starts a new line"
      : closed ? "This conversation is closed."
        : conv.state === "rep" ? `${stateText(conv.state, conv.holder)}: read only.`
          : "Read only: take this conversation to reply.";
    e.tabClose.hidden = e.stopBtn.hidden = mine;
    renderTab(conv);
    for (const b of e.suggestions.querySelectorAll(".insert")) b.disabled = !mine;
    for (const b of e.canned.querySelectorAll(".insert")) b.disabled = !mine;
    // Our own hand-back, close or transfer went through: the tab has done its job.
    if (conv.leaving && !mine) closeConv(conv);
  }

  // confirmThen asks for a second click before doing something hard to undo.
  function confirmThen(btn, ask, action) {
    if (btn.dataset.armed) {
      clearTimeout(Number(btn.dataset.armed));
      delete btn.dataset.armed;
      btn.textContent = btn.dataset.label;
      btn.classList.remove("armed");
      return action();
    }
    btn.dataset.label = btn.textContent;
    btn.textContent = ask;
    btn.classList.add("armed");
    btn.dataset.armed = String(setTimeout(() => {
      delete btn.dataset.armed;
      btn.textContent = btn.dataset.label;
      btn.classList.remove("armed");
    }, CONFIRM_MS));
  }

  function closeWithOutcome(conv) {
    const outcome = conv.els.outcome.value;
    if (!outcome) {
      toast("Choose an outcome first, then close.", "info");
      return conv.els.outcome.focus();
    }
    if (send({ type: "close", conversation: conv.id, outcome })) conv.leaving = true;
  }

  // ---- transfer (supervisors) ----

  let transferConv = null;
  function openTransfer(conv) {
    transferConv = conv;
    const names = new Set([...S.live.map((l) => l.holder), S.me].filter((n) => n && n !== conv.holder));
    $("rep-names").replaceChildren(...[...names].sort().map((n) => h("option", { value: n })));
    $("transfer-to").value = "";
    $("transfer-title").textContent = `Transfer ${short(conv.id)}`;
    $("transfer").showModal();
  }
  function setupTransfer() {
    const dlg = $("transfer");
    $("transfer-cancel").addEventListener("click", () => dlg.close(""));
    dlg.addEventListener("close", () => {
      const conv = transferConv;
      transferConv = null;
      const to = $("transfer-to").value.trim();
      if (dlg.returnValue !== "transfer" || !conv || !to) return;
      if (send({ type: "transfer", conversation: conv.id, to }) && mineNow(conv)) conv.leaving = true;
      conv.els.transfer.focus();
    });
  }

  // ---- transcript ----

  function onTranscript(f) {
    const id = str(f.conversation);
    const conv = S.convs.get(id);
    if (!conv) return; // closed here meanwhile
    Object.assign(conv, { state: f.state || conv.state, holder: f.holder ?? conv.holder });
    conv.summary = f.summary && typeof f.summary === "object" ? f.summary : null;
    renderSummary(conv);
    // A whole transcript is not news: keep the live region quiet while it is drawn.
    const log = conv.els.log;
    log.setAttribute("aria-live", "off");
    log.setAttribute("aria-busy", "true");
    conv.seen.clear();
    log.replaceChildren(...[...conv.pending.values()].map((p) => p.el));
    for (const m of list(f.messages)) renderMessage(conv, m, false);
    setTimeout(() => (log.setAttribute("aria-live", "polite"), log.removeAttribute("aria-busy")), 0);
    conv.els.notes.replaceChildren();
    for (const n of list(f.notes)) renderNote(conv, n);
    updateConv(conv);
    renderMine(); // its items show the topic too
    scrollToEnd(conv);
  }

  function onMessage(f) {
    const conv = S.convs.get(str(f.conversation));
    const m = f.message;
    if (!conv || !m || typeof m !== "object") return;
    if (!renderMessage(conv, m, true)) return;
    renderTab(conv);
    if (m.from === "visitor") hideVisitorTyping(conv);
    if (m.from === "visitor" && mineNow(conv) && document.visibilityState !== "visible") {
      announce(`message ${conv.id}`, conv.id, "New message", `In a conversation you hold (${short(conv.id)})`, false);
    }
    const ours = m.from === "rep" && m.rep === S.me;
    if (!ours && !inView(conv)) {
      conv.unread++;
      updateConv(conv);
      renderMine();
      updateTitle();
    }
  }

  const inView = (conv) => S.active === conv.id && document.visibilityState === "visible";

  function markRead(conv) {
    if (!conv.unread) return;
    conv.unread = 0;
    updateConv(conv);
    renderMine();
    updateTitle();
  }

  // renderMessage adds one message (once) and says whether it was new.
  function renderMessage(conv, m, live) {
    const id = str(m.id);
    if (!id || conv.seen.has(id)) return false;
    conv.seen.add(id);
    const from = ["visitor", "bot", "rep", "system"].includes(m.from) ? m.from : "system";
    if (from === "visitor" && !conv.firstQuestion) conv.firstQuestion = str(m.text);
    if (m.risk && typeof m.risk === "object" && m.risk.kind) conv.risk = { kind: str(m.risk.kind), level: str(m.risk.level) };
    const ours = from === "rep" && m.rep === S.me;
    if (ours) confirmReply(conv, m);

    const who = { visitor: "Visitor", bot: "Assistant", rep: str(m.rep) || "Representative", system: "System" }[from];
    const head = h("div", { class: "msg-head" }, h("span", { class: "who" }, ours ? `${who} (you)` : who),
      from === "bot" && KINDS[m.kind] ? h("span", { class: "kind" }, KINDS[m.kind]) : null,
      from === "bot" && m.generated === true ? h("span", { class: "kind" }, "written by the model") : null,
      h("time", { datetime: str(m.time) }, hhmm(m.time)));
    const body = h("div", { class: "msg-body" });
    if (from === "bot" && m.generated !== true && typeof m.html === "string" && m.html) body.append(safeHTML(m.html));
    else (body.classList.add("plain"), (body.textContent = str(m.text)));
    const crisis = from === "bot" && (m.kind === "crisis" || m.risk);
    const el = h("div", { class: `msg msg-${from}${ours ? " msg-me" : ""}${crisis ? " msg-crisis" : ""}`, "data-id": id },
      h("span", { class: "sr" }, `${who}: `), head, body);
    appendToLog(conv, el, live);
    return true;
  }

  function appendToLog(conv, el, live) {
    const log = conv.els.log;
    const atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    const firstPending = el.classList.contains("pending") ? null : log.querySelector(".pending");
    log.insertBefore(el, firstPending); // unconfirmed replies stay last
    if (!live || atEnd || el.classList.contains("msg-me")) scrollToEnd(conv);
  }
  const scrollToEnd = (conv) => (conv.els.log.scrollTop = conv.els.log.scrollHeight);

  // The server sanitizes bot HTML; this second pass keeps only simple markup and safe links.
  const TAGS = new Set("P BR STRONG B EM I UL OL LI A H2 H3 H4 BLOCKQUOTE CODE HR".split(" "));
  function safeHTML(html) {
    const t = document.createElement("template");
    t.innerHTML = html; // inert: nothing in a template loads or runs
    for (const el of [...t.content.querySelectorAll("*")]) {
      if (!TAGS.has(el.tagName)) {
        el.replaceWith(/^(SCRIPT|STYLE)$/.test(el.tagName) ? "" : el.textContent);
        continue;
      }
      if (/^H[2-4]$/.test(el.tagName)) { // the page's outline is the console's, not the answer's
        const p = document.createElement("p");
        p.append(Object.assign(document.createElement("strong"), { textContent: el.textContent }));
        el.replaceWith(p);
        continue;
      }
      const href = (el.getAttribute("href") || "").trim();
      for (const a of [...el.attributes]) el.removeAttribute(a.name);
      if (el.tagName !== "A" || !/^(https?:|tel:|mailto:)/i.test(href)) continue;
      el.setAttribute("href", href);
      if (/^https?:/i.test(href)) Object.assign(el, { target: "_blank", rel: "noopener noreferrer" });
    }
    return t.content;
  }

  function renderSummary(conv) {
    const s = conv.summary;
    const el = conv.els.summary;
    el.hidden = !s;
    if (!s) return;
    const rows = [];
    const row = (label, ...value) => rows.push(h("div", null, h("dt", null, label), h("dd", null, ...value)));
    if (s.reason) row("Reason", REASONS[s.reason] || str(s.reason));
    if (s.risk_kind && s.risk_kind !== "none") {
      const evidence = (Array.isArray(s.evidence) ? s.evidence : s.evidence ? [s.evidence] : []).map(str).filter(Boolean);
      row("Risk", riskBadge(s.risk_kind, s.risk_level),
        evidence.length ? h("span", { class: "evidence" }, " because of ", evidence.map((w, i) => [i ? ", " : "", h("q", null, w)])) : null);
    }
    if (s.waited != null) row("Waited", duration(s.waited));
    const d = s.details && typeof s.details === "object" ? s.details : {};
    if (d.insurer) row("Insurer", str(d.insurer));
    if (d.state) row("State", str(d.state));
    if (d.callback) row("Call back", detailText(d.callback));
    const answers = answerNames(s.answers);
    if (answers.length) row("Assistant answered", answers.join(", "));
    const questions = list(s.questions).map((q) => (typeof q === "string" ? q : str(q?.text))).filter(Boolean);
    const line = [REASONS[s.reason] || "", s.risk_kind && s.risk_kind !== "none" ? str(s.risk_kind).replace(/_/g, " ") : "",
      s.waited != null ? `waited ${duration(s.waited)}` : ""].filter(Boolean).join(" · ");
    put(el, [
      h("summary", null, h("strong", null, "Summary"), line ? ` — ${line}` : ""),
      h("dl", { class: "facts" }, rows),
      questions.length ? h("div", { class: "questions" }, h("h3", { id: `asked-${conv.id}` }, "The visitor asked"),
        // It scrolls past a few questions, so it takes the focus (arrow keys scroll it).
        h("ol", { tabindex: "0", "aria-labelledby": `asked-${conv.id}` }, questions.map((q) => h("li", null, q)))) : null,
      conv.els.modelSummary]);
  }

  function detailText(v) {
    if (v == null || typeof v !== "object") return v === true ? "Requested" : str(v);
    const parts = [v.name, v.phone, v.best_time && `best time: ${v.best_time}`].filter(Boolean).map(str);
    return parts.length ? parts.join(" · ") : "Requested";
  }

  function answerNames(a) {
    if (Array.isArray(a)) return a.map((x) => (typeof x === "string" ? x : str(x?.title || x?.entry || x?.id))).filter(Boolean);
    return a && typeof a === "object" ? Object.keys(a) : [];
  }

  // ---- replies and typing ----

  function sendReply(conv) {
    const box = conv.els.reply;
    const text = box.value.trim();
    if (!text) return;
    if (!mineNow(conv)) return toast("Take this conversation before replying.", "info");
    const frame = { type: "reply", conversation: conv.id, id: newId(), text };
    const el = h("div", { class: "msg msg-rep msg-me pending" }, h("span", { class: "sr" }, "You: "),
      h("div", { class: "msg-head" }, h("span", { class: "who" }, `${S.me} (you)`), h("span", { class: "kind" }, "sending…")),
      h("div", { class: "msg-body plain" }, text));
    conv.pending.set(frame.id, { frame, el });
    appendToLog(conv, el, true);
    // Sent now, or after the next welcome: the server ignores a client id it already has.
    if (S.ready) send(frame);
    box.value = "";
    undraft(conv);
  }

  function confirmReply(conv, m) {
    let key = m.client_id && conv.pending.has(m.client_id) ? m.client_id : null;
    if (!key) for (const [k, p] of conv.pending) if (p.frame.text === m.text) { key = k; break; }
    if (!key) return;
    conv.pending.get(key).el.remove();
    conv.pending.delete(key);
  }

  // unsend takes back a reply the server refused, and puts its words back if the box is empty.
  function unsend(conv, id) {
    const p = conv.pending.get(id);
    if (!p) return;
    p.el.remove();
    conv.pending.delete(id);
    if (!conv.els.reply.value) conv.els.reply.value = p.frame.text;
  }

  function sendTyping(conv) {
    if (!mineNow(conv) || !conv.els.reply.value.trim()) return;
    const now = Date.now();
    if (now - conv.typingSent < TYPING_SEND_MS) return;
    conv.typingSent = now;
    send({ type: "typing", conversation: conv.id });
  }

  function onVisitorTyping(f) {
    const conv = S.convs.get(str(f.conversation));
    if (!conv) return;
    conv.els.typing.hidden = false;
    clearTimeout(conv.typingTimer);
    conv.typingTimer = setTimeout(() => hideVisitorTyping(conv), VISITOR_TYPING_MS);
  }
  function hideVisitorTyping(conv) {
    clearTimeout(conv.typingTimer);
    conv.els.typing.hidden = true;
  }

  // ---- notes and suggestions ----

  function addNote(conv) {
    const text = conv.els.note.value.trim();
    if (!text) return;
    if (send({ type: "note", conversation: conv.id, text })) conv.els.note.value = "";
  }

  function renderNote(conv, n) {
    if (!n || typeof n !== "object") return;
    const id = str(n.id);
    if (id && [...conv.els.notes.children].some((li) => li.dataset.id === id)) return;
    conv.els.notes.append(h("li", { "data-id": id },
      h("div", { class: "note-head" }, h("strong", null, str(n.rep) || "Someone"), " ", h("time", { datetime: str(n.time) }, hhmm(n.time))),
      h("div", { class: "plain" }, str(n.text))));
  }

  function suggest(conv) {
    if (!send({ type: "suggest", conversation: conv.id })) return;
    conv.els.suggestStatus.textContent = "Looking for answers…";
  }

  function onSuggestions(f) {
    const conv = S.convs.get(str(f.conversation));
    if (!conv) return;
    const items = list(f.items).filter((i) => i && typeof i === "object");
    conv.els.suggestStatus.textContent = items.length ? `${items.length} suggestion${items.length === 1 ? "" : "s"}` : "No suggestions for the last question.";
    conv.els.suggestions.replaceChildren(...items.map((i) => h("li", null,
      h("h4", null, str(i.title) || str(i.id)),
      // A long text scrolls in its box, so the box takes the focus (arrow keys scroll it).
      h("div", { class: "plain suggestion-text", tabindex: "0", role: "region", "aria-label": `Text of “${str(i.title) || str(i.id)}”` }, reflow(i.text)),
      button("Insert", () => insert(conv, str(i.text)), {
        class: "insert", disabled: !mineNow(conv), "aria-label": `Insert “${str(i.title) || str(i.id)}” into the reply`,
      }))));
  }

  // reflow joins the lines of each paragraph of an entry's text: the source file breaks its lines
  // at a width, a chat message should not. Blank lines between paragraphs stay, and so do list
  // items, quotes and headings, each on its own line.
  function reflow(text) {
    return str(text).replace(/\r\n?/g, "\n").split(/\n[ \t]*\n+/).map((para) => {
      let out = "";
      for (const raw of para.split("\n")) {
        const line = raw.trim();
        if (!line) continue;
        const own = /^([-*+•]\s|\d+[.)]\s|#|>)/.test(line);
        out += !out ? line : `${own ? "\n" : " "}${line}`;
      }
      return out;
    }).filter(Boolean).join("\n\n");
  }

  // insert puts a suggestion in the reply box, after what is there, to edit before sending.
  function insert(conv, raw) {
    insertText(conv, reflow(raw));
  }

  // insertText puts text in the reply box as it is, after what is there (a blank line between).
  function insertText(conv, text) {
    const box = conv.els.reply;
    box.value = box.value.trim() ? `${box.value.replace(/\s+$/, "")}\n\n${text}` : text;
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
    box.scrollTop = box.scrollHeight;
    sendTyping(conv);
  }

  // ---- written by the language model: drafts and summaries ----

  // requestDraft asks for a draft reply; it comes as a draft frame, and fills the reply box.
  function requestDraft(conv) {
    if (!mineNow(conv)) return toast("Take this conversation before drafting a reply.", "info");
    if (!send({ type: "draft", conversation: conv.id })) return;
    conv.drafting = true;
    conv.els.draftNote.textContent = "Drafting a reply…";
    updateConv(conv);
  }

  // onDraft puts the model's draft in the reply box, after what is there, marked as the model's.
  // It is text in a textarea: never HTML, and never sent until the representative presses Send.
  function onDraft(f) {
    const conv = S.convs.get(str(f.conversation));
    if (!conv) return;
    conv.drafting = false;
    const e = conv.els;
    if (f.unavailable || typeof f.text !== "string" || !f.text.trim()) {
      e.draftNote.textContent = `No draft: ${modelWhy(f.unavailable)}.`;
      return updateConv(conv);
    }
    if (!mineNow(conv)) {
      e.draftNote.textContent = "";
      return updateConv(conv);
    }
    const box = e.reply;
    box.value = box.value.trim() ? `${box.value.replace(/\s+$/, "")}\n\n${f.text}` : f.text;
    box.classList.add("drafted");
    const from = list(f.cites).map((c) => str(c?.title)).filter(Boolean);
    e.draftNote.replaceChildren(h("span", { class: "model-mark" }, "Draft written by the model — check before sending"),
      from.length ? ` From: ${from.join(", ")}.` : "");
    updateConv(conv);
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
    box.scrollTop = box.scrollHeight;
  }

  // undraft drops the draft's mark once the box is sent or emptied.
  function undraft(conv) {
    const e = conv.els;
    if (!e.reply.classList.contains("drafted")) return;
    e.reply.classList.remove("drafted");
    e.draftNote.textContent = "";
  }

  // requestSummary asks the model to summarize the conversation; it comes as a summary frame.
  function requestSummary(conv) {
    if (!send({ type: "summarize", conversation: conv.id })) return;
    conv.summarizing = true;
    conv.els.modelSummaryStatus.textContent = "Summarizing…";
    updateConv(conv);
  }

  // onModelSummary shows the model's summary as text, line by line, marked as the model's.
  function onModelSummary(f) {
    const conv = S.convs.get(str(f.conversation));
    if (!conv) return;
    conv.summarizing = false;
    const e = conv.els;
    if (f.unavailable || typeof f.text !== "string" || !f.text.trim()) {
      e.modelSummaryStatus.textContent = `No summary: ${modelWhy(f.unavailable)}.`;
      return updateConv(conv);
    }
    e.modelSummaryStatus.replaceChildren(h("span", { class: "model-mark" }, "Written by the model — check it against the transcript"));
    e.modelSummaryText.replaceChildren(...f.text.split("\n").filter((l) => l.trim()).map((l) => h("p", null, l)));
    e.modelSummaryText.hidden = false;
    updateConv(conv);
  }

  // ---- canned replies ----

  // renderCanned shows the canned replies in every open conversation and, for supervisors, in the
  // left column and the dialog that manages them.
  function renderCanned() {
    for (const conv of S.convs.values()) renderCannedIn(conv);
    $("canned-count").textContent = String(S.canned.length);
    renderCannedManage();
  }

  function renderCannedIn(conv) {
    const e = conv.els;
    const mine = mineNow(conv);
    e.cannedStatus.textContent = S.canned.length ? ""
      : S.role === "supervisor" ? "None yet: add them with “Canned replies” at the top." : "None yet: supervisors add them.";
    e.canned.replaceChildren(...S.canned.map((c) => h("li", { "data-id": str(c.id) },
      h("h4", null, str(c.title)),
      h("div", { class: "plain suggestion-text", tabindex: "0", role: "region", "aria-label": `Text of canned reply “${str(c.title)}”` }, str(c.text)),
      button("Insert", () => insertText(conv, str(c.text)), {
        class: "insert", disabled: !mine, "aria-label": `Insert canned reply “${str(c.title)}” into the reply`,
      }))));
  }

  // The dialog in which supervisors add, edit and delete canned replies. The server checks the
  // title and text again and says what is wrong; its message is shown in the form.
  let cannedEditing = ""; // the id of the reply in the form, or "" for a new one
  function setupCanned() {
    if (S.role !== "supervisor" || S.cannedReady) return;
    S.cannedReady = true;
    $("canned-manage").hidden = false;
    const dlg = $("canned-dialog");
    $("canned-manage").addEventListener("click", () => { editCanned(null); dlg.showModal(); $("canned-title-input").focus(); });
    $("canned-close").addEventListener("click", () => dlg.close());
    $("canned-new").addEventListener("click", () => { editCanned(null); $("canned-title-input").focus(); });
    $("canned-form").addEventListener("submit", (ev) => { ev.preventDefault(); saveCanned(); });
    for (const id of ["canned-title-input", "canned-text"]) $(id).addEventListener("input", countCanned);
    dlg.addEventListener("close", () => $("canned-manage").focus());
  }

  function editCanned(c) {
    cannedEditing = c ? str(c.id) : "";
    $("canned-form-title").textContent = c ? `Edit “${str(c.title)}”` : "New canned reply";
    $("canned-title-input").value = c ? str(c.title) : "";
    $("canned-text").value = c ? str(c.text) : "";
    $("canned-error").textContent = "";
    $("canned-new").hidden = !c;
    countCanned();
  }

  function countCanned() {
    $("canned-counts").textContent = `Title ${$("canned-title-input").value.trim().length} of ${CANNED_TITLE} characters · text ${$("canned-text").value.trim().length} of ${CANNED_TEXT}`;
  }

  function saveCanned() {
    const title = $("canned-title-input").value.trim(), text = $("canned-text").value.trim();
    const problem = !title ? "Give the canned reply a title, so representatives can find it."
      : !text ? "Write the text representatives will insert." : "";
    if (problem) return void ($("canned-error").textContent = problem);
    $("canned-error").textContent = "";
    const f = { type: "canned_save", title, text };
    if (cannedEditing) f.id = cannedEditing;
    if (!send(f)) $("canned-error").textContent = "Not connected: try again in a moment.";
  }

  function renderCannedManage() {
    if (S.role !== "supervisor") return;
    $("canned-empty").hidden = S.canned.length > 0;
    $("canned-list").replaceChildren(...S.canned.map((c) => {
      const del = button("Delete", () => confirmThen(del, "Click again to delete", () => send({ type: "canned_delete", id: str(c.id) })), {
        class: "danger", "aria-label": `Delete canned reply “${str(c.title)}”`,
      });
      return h("li", { "data-id": str(c.id) },
        h("h3", null, str(c.title)),
        h("p", { class: "canned-preview" }, str(c.text)),
        h("div", { class: "row" },
          button("Edit", () => { editCanned(c); $("canned-title-input").focus(); }, { "aria-label": `Edit canned reply “${str(c.title)}”` }),
          del));
    }));
  }

  function onCannedDone(f, what) {
    if (f.type === "canned_saved" || str(f.id) === cannedEditing) editCanned(null);
    $("canned-status").textContent = what;
  }

  // ---- state, errors, notices ----

  function onState(f) {
    const conv = S.convs.get(str(f.conversation));
    if (!conv) return;
    Object.assign(conv, { state: f.state || conv.state, holder: f.holder ?? null });
    updateConv(conv);
  }

  function onError(f) {
    const code = str(f.code);
    const last = S.lastSent;
    if (last?.type === "reply" && code !== "taken") {
      const conv = S.convs.get(last.conversation);
      if (conv) unsend(conv, last.id);
    }
    if (last?.type === "take" || code === "taken" || code === "too_many") S.take = { at: 0, target: null };
    if (last?.type === "draft" || last?.type === "summarize") {
      const conv = S.convs.get(last.conversation);
      if (conv) {
        Object.assign(conv, { drafting: false, summarizing: false });
        (last.type === "draft" ? conv.els.draftNote : conv.els.modelSummaryStatus).textContent = "";
        updateConv(conv);
      }
    }
    if (last?.type?.startsWith("canned_") && $("canned-dialog").open) {
      $("canned-error").textContent = str(f.message) || FALLBACK_ERRORS[code] || "Something went wrong. Please try again.";
      return;
    }
    if (code === "taken") toast(TAKEN, "info");
    else toast(str(f.message) || FALLBACK_ERRORS[code] || "Something went wrong. Please try again.", "error");
    for (const conv of S.convs.values()) conv.leaving = false;
    settle();
  }

  function toast(text, kind) {
    const el = h("div", { class: `toast toast-${kind || "info"}` }, h("p", null, text),
      button("×", () => el.remove(), { class: "toast-close", "aria-label": "Dismiss" }));
    $("toasts").append(el);
    while ($("toasts").childElementCount > 4) $("toasts").firstElementChild.remove();
    setTimeout(() => el.remove(), kind === "error" ? TOAST_MS * 1.5 : TOAST_MS);
  }

  function updateTitle() {
    let unread = 0;
    for (const c of S.convs.values()) unread += c.unread;
    const crisis = [...S.alerts.values()].some((a) => a.waiting) ? "⚠ Crisis waiting — " : "";
    const waiting = S.queue.length ? `${S.queue.length} waiting — ` : "";
    document.title = `${crisis}${unread ? `(${unread}) ` : ""}${waiting}Helpline console`;
  }

  function setConn(kind, text) {
    const el = $("conn");
    el.dataset.conn = kind;
    if (el.textContent !== text) el.textContent = text;
  }

  // ---- presence ----

  function loadPresence() {
    try { return sessionStorage.getItem("helpline.console.presence") === "away" ? "away" : "online"; } catch { return "online"; }
  }
  function setPresence(p) {
    S.presence = p === "away" ? "away" : "online";
    try { sessionStorage.setItem("helpline.console.presence", S.presence); } catch { /* memory only */ }
    body.classList.toggle("away", S.presence === "away");
    for (const r of document.querySelectorAll('input[name="presence"]')) r.checked = r.value === S.presence;
    sendStatus();
  }
  function sendStatus() {
    send({ type: "status", status: S.presence });
  }

  // ---- the connection ----

  // send writes a frame if the socket is open; frames an error could answer are remembered.
  function send(frame) {
    const ws = S.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      if (frame.type !== "status" && frame.type !== "typing" && frame.type !== "open" && frame.type !== "close_view") {
        toast("Not connected right now. Please try again in a moment.", "error");
      }
      return false;
    }
    ws.send(JSON.stringify({ v: 1, ...frame }));
    if (!["status", "typing", "open", "close_view"].includes(frame.type)) S.lastSent = frame;
    return true;
  }

  function connect() {
    clearTimeout(S.timer);
    S.retryAt = 0;
    if (S.ws) return;
    setConn("connecting", S.attempt ? "Reconnecting…" : "Connecting…");
    const url = new URL("/console/ws", location.href);
    url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    let ws;
    try { ws = new WebSocket(url); } catch { return reconnectLater(); }
    S.ws = ws;
    ws.onopen = () => {
      sendStatus();
      clearInterval(S.heartbeat);
      S.heartbeat = setInterval(sendStatus, HEARTBEAT_MS);
    };
    ws.onmessage = (e) => {
      if (S.ws !== ws) return;
      let f;
      try { f = JSON.parse(e.data); } catch { return; }
      if (f && typeof f === "object") handle(f);
    };
    ws.onclose = (e) => {
      // 4001: the session ended (signed out elsewhere, or the account was disabled).
      if (e.code === 4001) return location.reload();
      lost(ws);
    };
    ws.onerror = () => {}; // a close event follows
  }

  function lost(ws) {
    if (S.ws !== ws) return;
    ws.onopen = ws.onmessage = ws.onclose = null;
    try { ws.close(); } catch { /* closing already */ }
    Object.assign(S, { ws: null, ready: false });
    clearInterval(S.heartbeat);
    settle();
    reconnectLater();
  }

  function reconnectLater() {
    clearTimeout(S.timer);
    const max = Math.min(BACKOFF_MAX, BACKOFF_MIN * 2 ** S.attempt++);
    const wait = max / 2 + (Math.random() * max) / 2;
    S.retryAt = Date.now() + wait;
    S.timer = setTimeout(connect, wait);
    tick();
    // A socket refused again and again may mean the session ended: the page then shows sign-in.
    if (S.attempt === 3 || S.attempt % 6 === 0) checkSession();
  }

  function checkSession() {
    fetch("/console", { credentials: "same-origin", cache: "no-store" })
      .then((r) => r.text())
      .then((t) => { if (t.includes('data-signed-in="false"')) location.reload(); })
      .catch(() => { /* offline: the reconnects continue */ });
  }

  function handle(f) {
    switch (f.type) {
      case "welcome": return onWelcome(f);
      case "queue": return onQueue(list(f.items));
      case "live": S.live = list(f.items); alertWaiting("live", S.live); renderLive(); return renderTabs();
      case "mine": return onMine(list(f.items));
      case "requests": S.requests = list(f.items); return renderRequests();
      case "canned": S.canned = list(f.items).filter((c) => c && typeof c === "object"); return renderCanned();
      case "canned_saved": return onCannedDone(f, "Saved. Every representative sees it now.");
      case "canned_deleted": return onCannedDone(f, "Deleted.");
      case "transcript": return onTranscript(f);
      case "message": return onMessage(f);
      case "note": {
        const conv = S.convs.get(str(f.conversation));
        return conv && renderNote(conv, f.note);
      }
      case "state": return onState(f);
      case "typing": return onVisitorTyping(f);
      case "suggestions": return onSuggestions(f);
      case "draft": return onDraft(f);
      case "summary": return onModelSummary(f);
      case "alert": return onAlert(f);
      case "error": return onError(f);
      case "handed_back": return toast(f.answered
        ? "Handed back. The visitor's last message had no reply yet: the assistant answered it."
        : "Handed back to the assistant.", "info");
    }
  }

  function onWelcome(f) {
    Object.assign(S, { ready: true, attempt: 0, me: str(f.rep), role: str(f.role), maxChats: Number(f.max_chats) || 0,
      modelAssist: f.model_assist === true });
    // A summary or draft asked for on the last connection will not come.
    for (const conv of S.convs.values()) {
      if (conv.drafting) conv.els.draftNote.textContent = "";
      if (conv.summarizing) conv.els.modelSummaryStatus.textContent = "";
      Object.assign(conv, { drafting: false, summarizing: false });
      updateConv(conv);
    }
    setConn("online", "Connected");
    put($("me"), ["Signed in as ", h("strong", null, S.me), S.role === "supervisor" ? " · supervisor" : null]);
    // Following is per connection: open every tab again (the transcripts fill in what we missed),
    // then resend replies that never got their echo.
    for (const conv of S.convs.values()) send({ type: "open", conversation: conv.id });
    for (const conv of S.convs.values()) for (const p of conv.pending.values()) send(p.frame);
    settle();
    startToday();
    setupCanned();
    renderCanned();
  }

  // ---- today's figures (supervisors) ----

  // The director's figures for the last 24 hours, from every instance (GET /console/figures), every minute.
  function startToday() {
    if (S.role !== "supervisor" || S.todayTimer) return;
    $("today-box").hidden = false;
    loadToday();
    S.todayTimer = setInterval(loadToday, 60000);
  }
  function loadToday() {
    fetch("/console/figures", { credentials: "same-origin", cache: "no-store" })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .then(renderToday)
      .catch(() => put($("today"), [h("dt", null, "Figures"), h("dd", null, "not available right now")]));
  }
  function renderToday(f) {
    const wait = (w) => (w && w.count ? `median ${duration(w.median_seconds)} (${w.count})` : "none");
    const row = (k, v) => [h("dt", null, k), h("dd", null, v)];
    const median = (w) => (w && w.count ? duration(w.median_seconds) : "–");
    $("today-digest").textContent = `wait ${median(f.all)} · crisis ${median(f.crisis)} · referred ${Number(f.referred) || 0} · callbacks ${Number(f.callbacks_open) || 0}`;
    put($("today"), [
      ...row("Waited for a person", wait(f.all)),
      ...row("Crises waited", wait(f.crisis)),
      ...row("Referred to treatment", String(Number(f.referred) || 0)),
      ...row("Callbacks still open", String(Number(f.callbacks_open) || 0)),
    ]);
  }

  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // ---- start ----

  function start() {
    $("app").hidden = false;
    $("take-next").addEventListener("click", (e) => take(null, e.currentTarget));
    for (const r of document.querySelectorAll('input[name="presence"]')) r.addEventListener("change", () => setPresence(r.value));
    setPresence(S.presence);
    setSound(S.sound);
    $("sound").addEventListener("click", () => setSound(!S.sound));
    $("notify-enable").addEventListener("click", enableNotify);
    renderNotify();
    for (const ev of ["pointerdown", "keydown"]) addEventListener(ev, unlockAudio, { capture: true, passive: true });
    setupTransfer();
    setInterval(tick, 1000);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState !== "visible") return;
      const conv = S.convs.get(S.active);
      if (conv) markRead(conv);
      if (!S.ws) (S.attempt = 0), connect();
    });
    addEventListener("online", () => !S.ws && ((S.attempt = 0), connect()));
    addEventListener("beforeunload", (e) => {
      // Don't lose a reply half written, or one still on its way.
      for (const c of S.convs.values()) if (c.els.reply.value.trim() || c.pending.size) return e.preventDefault();
    });
    connect();
  }

  start();
})();
