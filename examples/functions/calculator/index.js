// The seeds' "Returning a calculation" function, in Node.js: {"action":"increment","number":3} → 4.
exports.handler = async (event, context) => {
  console.log('calculating', JSON.stringify(event), 'in', context.functionName);
  const { action, number } = event;
  if (typeof number !== 'number') {
    throw new TypeError(`"number" must be a number, got ${JSON.stringify(number)}`);
  }
  switch (action) {
    case 'increment': return number + 1;
    case 'decrement': return number - 1;
    case 'square': return number * number;
    default: throw new Error(`Unknown action "${action}": use increment, decrement or square`);
  }
};
