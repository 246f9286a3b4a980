// A CommonJS module whose exports the line measurements send (cases 191-193 of cases.json).
exports.data = { a: 1 };
exports.helper = function helper() {};
exports.n = 2;
