// jsdom cannot parse the nested CSS that @backstage/ui injects and reports each
// stylesheet on console.error; nothing in the tests depends on those styles.
const original = console.error;
console.error = (...args) => {
  const first = args[0];
  if (first && typeof first === 'object' && first.message === 'Could not parse CSS stylesheet') return;
  if (typeof first === 'string' && first.includes('Could not parse CSS stylesheet')) return;
  original(...args);
};
