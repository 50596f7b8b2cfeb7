// One handler behind the example REST API, HTTP API and Function URL: it says which front called it.
exports.handler = async (event) => {
  const front = event.version === '2.0'
    ? (event.requestContext.domainName.includes('.lambda-url.') ? 'Function URL' : 'HTTP API')
    : 'REST API';
  const name = (event.pathParameters && event.pathParameters.name) || 'world';
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ message: `Hello, ${name}, from the ${front}`, path: event.path || event.rawPath }),
  };
};
