// The server's JSON API. Errors come back as {"error": "one line"}; they are thrown as Error with that line.

async function check(response) {
  if (response.ok) return response;
  let message = `${response.status} ${response.statusText}`;
  try { message = (await response.json()).error ?? message; } catch { /* not JSON */ }
  const error = new Error(message);
  error.status = response.status;
  throw error;
}

export async function postJson(url, body, signal) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
  return (await check(response)).json();
}

export async function postForBlob(url, body) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await check(response)).blob();
}

export async function getJson(url) {
  return (await check(await fetch(url))).json();
}

export async function upload(fileOrName) {
  const form = new FormData();
  if (typeof fileOrName === 'string') form.append('name', fileOrName);
  else form.append('image', fileOrName, fileOrName.name || 'pasted.png');
  return (await check(await fetch('/api/images', { method: 'POST', body: form }))).json();
}

export async function cancelJob(id) {
  await check(await fetch(`/api/jobs/${id}`, { method: 'DELETE' }));
}

/** Follows a job's server-sent events until it ends; resolves with its last status. */
export function followJob(id, onStatus) {
  return new Promise((resolve, reject) => {
    const events = new EventSource(`/api/jobs/${id}/events`);
    events.onmessage = e => {
      const status = JSON.parse(e.data);
      onStatus(status);
      if (status.state !== 'running') { events.close(); resolve(status); }
    };
    events.onerror = () => { events.close(); getJson(`/api/jobs/${id}`).then(resolve, reject); };
  });
}
