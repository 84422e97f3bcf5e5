// Grounded Studio's page: one image at a time, its objects from text prompts, clicks, boxes or segment-everything,
// drawn over it; cut-outs, edits and downloads of what is on screen. All model work is the server's.
import { decodeRle, decodeBits, paint, colour } from './masks.js';
import { postJson, postForBlob, getJson, upload, cancelJob, followJob } from './api.js';

const $ = id => document.getElementById(id);
const picture = $('picture'), overlay = $('overlay');
const state = {
  image: null,          // {id, name, width, height}
  objects: [],          // {label, phrase, score, box, mask, iou, bits, colour, hidden, selected, source}
  mode: 'text',
  points: [],           // working object: [{x, y, label}]
  box: null,            // working object: [x0, y0, x1, y1]
  negative: false,      // Remove Area
  candidates: null,     // full-resolution candidates of the working object
  chosen: 0,
  preview: null,        // {width, height, bits}
  hoverObject: -1,
  drag: null,
  job: null,
  edited: null,
  nextColour: 0,
};

// ---------- status ----------
function say(text, error = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', error);
}
function fail(e) {
  if (e.name === 'AbortError') return;
  say(e.message, true);
}

// ---------- opening an image ----------
async function open(fileOrName) {
  say('Uploading and encoding…');
  document.body.dataset.busy = 'true';
  try {
    const info = await upload(fileOrName);
    const blob = await (await fetch(`/api/images/${info.id}/pixels`)).blob();
    const bitmap = await createImageBitmap(blob);
    state.image = info;
    state.objects = []; resetWorking(); state.edited = null; $('edited').hidden = true; $('canvases').hidden = false;
    for (const canvas of [picture, overlay]) { canvas.width = info.width; canvas.height = info.height; }
    $('canvases').style.setProperty('--aspect', String(info.width / info.height));
    picture.getContext('2d').drawImage(bitmap, 0, 0);
    $('drop').classList.remove('empty');
    $('image-name').textContent = `${info.name} — ${info.width}×${info.height}`;
    document.body.dataset.image = info.id;
    say('Ready. Type a prompt, click the image, drag a box, or segment everything.');
    renderObjects(); draw();
  } catch (e) { fail(e); } finally { document.body.dataset.busy = 'false'; }
}

$('file').addEventListener('change', e => { if (e.target.files[0]) open(e.target.files[0]); e.target.value = ''; });
const drop = $('drop');
drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('dragging'); });
drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
drop.addEventListener('drop', e => {
  e.preventDefault(); drop.classList.remove('dragging');
  const file = [...e.dataTransfer.files].find(f => f.type.startsWith('image/'));
  if (file) open(file); else say('Drop an image file.', true);
});
document.addEventListener('paste', e => {
  const item = [...(e.clipboardData?.items ?? [])].find(i => i.type.startsWith('image/'));
  if (item) open(item.getAsFile());
});
$('server-files').addEventListener('change', e => { if (e.target.value) open(e.target.value); });

// ---------- modes ----------
for (const button of document.querySelectorAll('#modes button')) {
  button.addEventListener('click', () => setMode(button.dataset.mode));
}
function setMode(mode) {
  state.mode = mode;
  for (const b of document.querySelectorAll('#modes button')) b.classList.toggle('active', b.dataset.mode === mode);
  for (const p of document.querySelectorAll('.panel')) p.hidden = p.dataset.panel !== mode;
  state.preview = null;
  if (mode === 'cutouts') refreshCutout();
  draw();
}

// ---------- drawing ----------
function imagePoint(e) {
  const r = overlay.getBoundingClientRect();
  return { x: (e.clientX - r.left) * overlay.width / r.width, y: (e.clientY - r.top) * overlay.height / r.height };
}

function draw() {
  const ctx = overlay.getContext('2d');
  ctx.clearRect(0, 0, overlay.width, overlay.height);
  if (!state.image) return;
  const { width, height } = state.image;
  const pixels = ctx.createImageData(width, height);
  state.objects.forEach((o, k) => {
    if (o.hidden || !o.bits) return;
    const strong = k === state.hoverObject || o.selected;
    paint(pixels.data, o.bits, o.colour, strong ? 0.7 : 0.45);
  });
  const working = state.candidates?.[state.chosen];
  if (working) paint(pixels.data, working.bits, [80, 160, 255], 0.55);
  ctx.putImageData(pixels, 0, 0);
  if (state.preview && !working) drawPreview(ctx);
  ctx.lineWidth = Math.max(2, width / 400);
  ctx.font = `${Math.max(12, Math.round(width / 60))}px system-ui, sans-serif`;
  state.objects.forEach((o, k) => {
    if (o.hidden || o.source === 'everything' || o.source === 'click') return;
    const [x0, y0, x1, y1] = o.box;
    ctx.strokeStyle = `rgb(${o.colour.join(',')})`;
    ctx.strokeRect(x0, y0, x1 - x0, y1 - y0);
    const text = `${o.label} ${o.score.toFixed(2)}`;
    ctx.fillStyle = ctx.strokeStyle;
    ctx.fillRect(x0, Math.max(0, y0 - 18), ctx.measureText(text).width + 8, 18);
    ctx.fillStyle = '#fff';
    ctx.fillText(text, x0 + 4, Math.max(13, y0 - 5));
    if (k === state.hoverObject) { ctx.lineWidth *= 2; ctx.strokeRect(x0, y0, x1 - x0, y1 - y0); ctx.lineWidth /= 2; }
  });
  const box = state.drag ?? state.box;
  if (box) { ctx.strokeStyle = '#4f9dff'; ctx.setLineDash([6, 4]); ctx.strokeRect(box[0], box[1], box[2] - box[0], box[3] - box[1]); ctx.setLineDash([]); }
  for (const p of state.points) {
    ctx.beginPath(); ctx.arc(p.x, p.y, Math.max(5, width / 150), 0, Math.PI * 2);
    ctx.fillStyle = p.label ? '#2ecc71' : '#ff4d4d'; ctx.fill(); ctx.strokeStyle = '#fff'; ctx.lineWidth = 2; ctx.stroke();
  }
  document.body.dataset.drawn = String(Date.now());
}

// The preview's mask covers the image at the decoder's low resolution: stretched over the image, smoothed.
function drawPreview(ctx) {
  const { width, height, bits } = state.preview;
  const small = new OffscreenCanvas(width, height);
  const sctx = small.getContext('2d');
  const data = sctx.createImageData(width, height);
  paint(data.data, bits, [80, 160, 255], 0.5);
  sctx.putImageData(data, 0, 0);
  ctx.imageSmoothingEnabled = true;
  // SAM's low-resolution grid is a quarter of its 1024-pixel input, whose longest side is the image's.
  const scale = longest() / 256;
  ctx.drawImage(small, 0, 0, width, height, 0, 0, width * scale, height * scale);
}
function longest() { return Math.max(state.image.width, state.image.height); }

// ---------- objects ----------
function addObjects(documentObjects, source, replaceSource = false) {
  if (replaceSource) state.objects = state.objects.filter(o => o.source !== source);
  for (const o of documentObjects) {
    state.objects.push({ ...o, bits: o.mask ? decodeRle(o.mask) : null, colour: colour(state.nextColour++), hidden: false, selected: source !== 'everything', source });
  }
  renderObjects(); draw();
}

function renderObjects() {
  const list = $('objects');
  list.replaceChildren();
  state.objects.forEach((o, k) => {
    const li = document.createElement('li');
    li.className = o.hidden ? 'hidden-object' : '';
    const select = Object.assign(document.createElement('input'), { type: 'checkbox', checked: o.selected, title: 'selected (cut-outs, edits)' });
    select.addEventListener('change', () => { o.selected = select.checked; draw(); if (state.mode === 'cutouts') refreshCutout(); });
    const swatch = Object.assign(document.createElement('span'), { className: 'swatch' });
    swatch.style.background = `rgb(${o.colour.join(',')})`;
    const label = Object.assign(document.createElement('span'), { className: 'label', textContent: o.phrase && o.phrase !== o.label ? `${o.label} — ${o.phrase}` : o.label, title: o.phrase });
    const score = Object.assign(document.createElement('span'), { className: 'score', textContent: o.score.toFixed(3) });
    const eye = Object.assign(document.createElement('button'), { textContent: o.hidden ? 'show' : 'hide' });
    eye.addEventListener('click', () => { o.hidden = !o.hidden; renderObjects(); draw(); });
    const remove = Object.assign(document.createElement('button'), { textContent: '×', title: 'delete' });
    remove.addEventListener('click', () => { state.objects.splice(k, 1); state.hoverObject = -1; renderObjects(); draw(); });
    li.append(select, swatch, label, score, eye, remove);
    li.addEventListener('mouseenter', () => { state.hoverObject = k; draw(); });
    li.addEventListener('mouseleave', () => { state.hoverObject = -1; draw(); });
    li.dataset.index = k;
    list.append(li);
  });
  $('object-count').textContent = String(state.objects.length);
  document.body.dataset.objects = String(state.objects.length);
}

function documentOf(objects) {
  const { name, width, height } = state.image;
  return {
    image: name, width, height, timings_ms: {},
    objects: objects.map(o => ({ label: o.label, phrase: o.phrase ?? o.label, score: o.score, box: o.box, mask: o.mask, ...(o.iou !== undefined ? { iou: o.iou } : {}) })),
  };
}
const visible = () => state.objects.filter(o => !o.hidden);
const selected = () => state.objects.filter(o => o.selected && !o.hidden && o.mask);

// ---------- Text ----------
let textRequest = null;
async function runText() {
  if (!state.image) return say('Open an image first.', true);
  const prompt = $('prompt').value.trim();
  if (!prompt) return say('Say what to find, e.g. “the bear” or “dog . cat”.', true);
  textRequest?.abort();
  textRequest = new AbortController();
  say('Finding…');
  document.body.dataset.busy = 'true';
  try {
    const doc = await postJson(`/api/images/${state.image.id}/segment`, {
      prompt, box_threshold: $('box-threshold').value, text_threshold: $('text-threshold').value, nms: $('nms').value,
    }, textRequest.signal);
    addObjects(doc.objects, 'text', true);
    say(`${doc.objects.length} object(s) for “${prompt}”.${doc.warnings ? ' ' + doc.warnings.join(' ') : ''}`);
  } catch (e) { fail(e); } finally { document.body.dataset.busy = 'false'; }
}
$('run-text').addEventListener('click', runText);
$('prompt').addEventListener('keydown', e => { if (e.key === 'Enter') runText(); });
let sliderTimer = 0;
for (const id of ['box-threshold', 'text-threshold']) {
  $(id).addEventListener('input', () => {
    $(`${id}-value`).textContent = Number($(id).value).toFixed(2);
    // The server keeps the detector's raw output: a moved threshold re-filters it, no model runs.
    clearTimeout(sliderTimer);
    if (state.objects.some(o => o.source === 'text')) sliderTimer = setTimeout(runText, 120);
  });
}
$('nms').addEventListener('change', () => { if (state.objects.some(o => o.source === 'text')) runText(); });

// ---------- Hover & Click, Box ----------
function resetWorking() { state.points = []; state.box = null; state.candidates = null; state.preview = null; state.chosen = 0; renderCandidates(); }

function workingFields(extraPoint) {
  const points = [...state.points, ...(extraPoint ? [extraPoint] : [])];
  const fields = {};
  if (points.length) fields.points = points.map(p => `${p.x.toFixed(1)},${p.y.toFixed(1)}:${p.label}`).join(';');
  if (state.box) fields.box = state.box.map(v => v.toFixed(1)).join(',');
  return fields;
}

// One preview request in flight; the newest pointer position waits and replaces any older one.
let previewBusy = false, previewNext = null;
async function requestPreview(point) {
  previewNext = point;
  if (previewBusy) return;
  previewBusy = true;
  try {
    while (previewNext) {
      const p = previewNext; previewNext = null;
      try {
        const r = await postJson(`/api/images/${state.image.id}/preview`, { ...workingFields({ ...p, label: 1 }), multimask: state.points.length === 0 && !state.box });
        const best = r.candidates[r.best];
        state.preview = { width: r.width, height: r.height, bits: decodeBits(best.bits, r.width * r.height), at: p };
        document.body.dataset.preview = `${Math.round(p.x)},${Math.round(p.y)}`;
        if (!state.candidates) draw();
      } catch (e) { if (e.status !== 429) fail(e); }
    }
  } finally { previewBusy = false; }
}

async function segmentWorking() {
  const fields = workingFields();
  if (!fields.points && !fields.box) { state.candidates = null; renderCandidates(); draw(); return; }
  say('Segmenting…');
  document.body.dataset.busy = 'true';
  try {
    const doc = await postJson(`/api/images/${state.image.id}/segment`, { ...fields, multimask: true });
    const o = doc.objects[0];
    const masks = o.masks ?? [{ mask: o.mask, iou: o.iou }];
    state.candidates = masks.map(m => ({ ...o, mask: m.mask, iou: m.iou, bits: decodeRle(m.mask) }));
    state.chosen = masks.reduce((best, m, i) => (m.iou > masks[best].iou ? i : best), 0);
    renderCandidates();
    say(`${masks.length} candidate mask(s); pick one, add points, or keep the object.`);
  } catch (e) { fail(e); } finally { document.body.dataset.busy = 'false'; draw(); }
}

function renderCandidates() {
  const row = $('candidates');
  row.replaceChildren();
  (state.candidates ?? []).forEach((c, i) => {
    const b = document.createElement('button');
    b.textContent = `Mask ${i + 1}`;
    b.append(Object.assign(document.createElement('small'), { textContent: `IoU ${c.iou.toFixed(2)}` }));
    b.classList.toggle('active', i === state.chosen);
    b.addEventListener('click', () => { state.chosen = i; renderCandidates(); draw(); });
    row.append(b);
  });
}

function keepWorking() {
  const c = state.candidates?.[state.chosen];
  if (!c) return say('Click the object (or drag a box) first.', true);
  const bbox = boxOf(c.bits);
  addObjects([{ label: `object ${state.objects.length + 1}`, phrase: '', score: c.iou, box: bbox, mask: c.mask, iou: c.iou }], 'click');
  resetWorking(); draw();
}
function boxOf(bits) {
  const { width } = state.image;
  let x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
  for (let i = 0; i < bits.length; i++) if (bits[i]) { const y = Math.floor(i / width), x = i - y * width; x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
  return x1 < 0 ? [0, 0, 0, 0] : [x0, y0, x1 + 1, y1 + 1];
}

overlay.addEventListener('mousemove', e => {
  if (!state.image) return;
  const p = imagePoint(e);
  if (state.drag) { state.drag = [state.drag[0], state.drag[1], p.x, p.y]; draw(); return; }
  if (state.mode === 'click' && !state.candidates) requestPreview(p);
});
overlay.addEventListener('mouseleave', () => { if (state.preview) { state.preview = null; draw(); } });
overlay.addEventListener('contextmenu', e => e.preventDefault());
overlay.addEventListener('mousedown', e => {
  if (!state.image) return;
  const p = imagePoint(e);
  if (state.mode === 'box' && e.button === 0) { state.drag = [p.x, p.y, p.x, p.y]; return; }
  if (state.mode === 'click') {
    const label = e.button === 2 || state.negative ? 0 : 1;
    state.points.push({ x: p.x, y: p.y, label });
    state.preview = null;
    segmentWorking();
  }
  if (state.mode === 'everything' || state.mode === 'cutouts' || state.mode === 'edit') selectAt(p);
});
overlay.addEventListener('mouseup', () => {
  if (!state.drag) return;
  const [ax, ay, bx, by] = state.drag;
  state.drag = null;
  if (Math.abs(bx - ax) < 3 || Math.abs(by - ay) < 3) { draw(); return; }
  state.box = [Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)];
  segmentWorking();
});

function selectAt(p) {
  const index = Math.round(p.y) * state.image.width + Math.round(p.x);
  const hits = state.objects.filter(o => !o.hidden && o.bits?.[index]);
  if (!hits.length) return;
  const smallest = hits.reduce((a, b) => (count(a.bits) <= count(b.bits) ? a : b));
  smallest.selected = !smallest.selected;
  renderObjects(); draw();
  if (state.mode === 'cutouts') refreshCutout();
}
const count = bits => { let n = 0; for (const b of bits) n += b; return n; };

$('add-area').addEventListener('click', () => { state.negative = false; $('add-area').classList.add('active'); $('remove-area').classList.remove('active'); });
$('remove-area').addEventListener('click', () => { state.negative = true; $('remove-area').classList.add('active'); $('add-area').classList.remove('active'); });
$('undo').addEventListener('click', () => { if (state.points.pop()) segmentWorking(); });
$('reset').addEventListener('click', () => { resetWorking(); draw(); });
$('keep').addEventListener('click', keepWorking);
$('box-reset').addEventListener('click', () => { resetWorking(); draw(); });
$('box-keep').addEventListener('click', keepWorking);

// ---------- long jobs ----------
async function runJob(url, body, onDone) {
  if (!state.image) return say('Open an image first.', true);
  try {
    const job = await postJson(url, body);
    state.job = job.id;
    $('progress').hidden = false;
    document.body.dataset.job = 'running';
    const status = await followJob(job.id, s => {
      $('progress-bar').value = s.progress;
      $('progress-text').textContent = `${s.stage} ${(s.progress * 100).toFixed(0)}%`;
    });
    if (status.state === 'done') await onDone(job.id);
    else say(status.state === 'cancelled' ? 'Cancelled.' : status.error ?? status.state, status.state === 'failed');
    document.body.dataset.job = status.state;
  } catch (e) { fail(e); document.body.dataset.job = 'failed'; } finally { $('progress').hidden = true; state.job = null; }
}
$('cancel-job').addEventListener('click', () => { if (state.job) cancelJob(state.job).catch(fail); });

$('run-everything').addEventListener('click', () => runJob(`/api/images/${state.image?.id}/everything`, { points_per_side: $('points-per-side').value, pred_iou_thresh: $('pred-iou').value, stability_thresh: $('stability').value }, async id => {
  const doc = await getJson(`/api/jobs/${id}/result`);
  doc.objects.forEach((o, k) => { o.label = `mask ${k + 1}`; });
  addObjects(doc.objects, 'everything', true);
  say(`${doc.objects.length} mask(s). Click one to select it.`);
}));

// ---------- Cut-Outs ----------
let cutoutBlob = null;
async function refreshCutout() {
  const chosen = selected();
  $('cutout-preview').hidden = true; cutoutBlob = null;
  if (!chosen.length) return say('Select objects (tick them, or click their masks) to cut them out.');
  try {
    cutoutBlob = await postForBlob(`/api/images/${state.image.id}/export/cutout`, documentOf(chosen));
    $('cutout-preview').src = URL.createObjectURL(cutoutBlob);
    $('cutout-preview').hidden = false;
  } catch (e) { fail(e); }
}
$('cutout-download').addEventListener('click', async () => {
  if (!cutoutBlob) await refreshCutout();
  if (cutoutBlob) download(cutoutBlob, `${stem()}.cutout.png`);
});
$('cutout-copy').addEventListener('click', async () => {
  if (!cutoutBlob) await refreshCutout();
  try { await navigator.clipboard.write([new ClipboardItem({ 'image/png': cutoutBlob })]); say('Copied.'); } catch (e) { fail(e); }
});

// ---------- Edit ----------
$('edit-mode').addEventListener('change', () => { for (const l of document.querySelectorAll('.sd')) l.hidden = $('edit-mode').value !== 'sd'; });
$('edit-mode').dispatchEvent(new Event('change'));
$('run-edit').addEventListener('click', () => {
  const chosen = selected();
  if (!chosen.length) return say('Select the objects to edit.', true);
  const mode = $('edit-mode').value;
  const body = { ...documentOf(chosen), inpainter: mode, dilate: $('edit-dilate').value, feather: $('edit-feather').value };
  if (mode === 'sd') Object.assign(body, { prompt: $('edit-prompt').value, steps: $('edit-steps').value, guidance_scale: $('edit-guidance').value, seed: $('edit-seed').value });
  runJob(`/api/images/${state.image.id}/edit`, body, async id => {
    const blob = await (await fetch(`/api/jobs/${id}/result`)).blob();
    state.edited = URL.createObjectURL(blob);
    $('edited').src = state.edited; $('edited').hidden = false; $('canvases').hidden = true;
    $('before-after').disabled = false; $('before-after').textContent = 'Show before';
    Object.assign($('edit-download'), { href: state.edited, hidden: false, download: `${stem()}.edited.png` });
    say('Edited. “Show before” compares.');
  });
});
$('before-after').addEventListener('click', () => {
  const showingEdit = !$('edited').hidden;
  $('edited').hidden = showingEdit; $('canvases').hidden = !showingEdit;
  $('before-after').textContent = showingEdit ? 'Show after' : 'Show before';
});

// ---------- downloads ----------
function stem() { return (state.image?.name ?? 'image').replace(/\.[^.]+$/, ''); }
function download(blob, name) {
  const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: name });
  document.body.append(a); a.click(); a.remove();
}
for (const button of document.querySelectorAll('[data-export]')) {
  button.addEventListener('click', async () => {
    if (!state.image) return say('Open an image first.', true);
    const format = button.dataset.export;
    try {
      const blob = await postForBlob(`/api/images/${state.image.id}/export/${format}`, documentOf(visible()));
      download(blob, { overlay: `${stem()}.overlay.png`, masks: `${stem()}.masks.png`, results: 'results.json', coco: `${stem()}.coco.json` }[format]);
    } catch (e) { fail(e); }
  });
}

// ---------- start ----------
getJson('/api/status').then(async status => {
  if (status.can_open_files) {
    const { files } = await getJson('/api/files');
    const select = $('server-files');
    for (const f of files) select.append(new Option(f, f));
    select.hidden = files.length === 0;
  }
  say('Open an image to start.');
}).catch(fail);
