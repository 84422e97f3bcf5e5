// Renders the OpenAPI document the server generates: every operation with its summary and its fields.
const main = document.getElementById('api');
const spec = await (await fetch('/openapi/v1.json')).json();
document.querySelector('h1').textContent = spec.info.title;
const intro = document.createElement('p');
intro.textContent = spec.info.description ?? '';
main.append(intro);

function schemaOf(ref) {
  if (!ref) return null;
  if (ref.$ref) return spec.components?.schemas?.[ref.$ref.split('/').pop()] ?? null;
  return ref;
}

for (const [path, operations] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(operations)) {
    const section = document.createElement('section');
    section.className = 'operation';
    const title = document.createElement('h2');
    title.textContent = `${method.toUpperCase()} ${path}`;
    const summary = document.createElement('p');
    summary.textContent = op.summary ?? '';
    section.append(title, summary);
    for (const [type, body] of Object.entries(op.requestBody?.content ?? {})) {
      const schema = schemaOf(body.schema);
      const fields = Object.entries(schema?.properties ?? {});
      if (!fields.length) continue;
      const list = document.createElement('ul');
      const caption = document.createElement('p');
      caption.textContent = `Body (${type}):`;
      for (const [name, field] of fields) {
        const li = document.createElement('li');
        const kind = field.format === 'binary' ? 'file' : (Array.isArray(field.type) ? field.type.join(' | ') : field.type ?? 'value');
        li.textContent = `${name}: ${kind}`;
        list.append(li);
      }
      section.append(caption, list);
    }
    main.append(section);
  }
}
