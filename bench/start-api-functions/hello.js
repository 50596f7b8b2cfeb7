exports.handler = async (event) => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ hello: 'node', path: event.rawPath || event.path }) });
