// A job as a queue hands it to a Worker or a forked child: a class instance, a Date, a callback.
// Try it: npx clonecheck node_modules/clonecheck/examples/job.mjs
class Customer {
  constructor(id, email) {
    this.id = id;
    this.email = email;
  }

  get domain() {
    return this.email.slice(this.email.indexOf('@') + 1);
  }

  greet() {
    return `Hello, ${this.id}`;
  }
}

export const job = {
  id: 'job-42',
  kind: 'send-invoice',
  customer: new Customer('c-7', 'ada@example.com'),
  createdAt: new Date('2024-05-01T12:00:00Z'),
  attempts: 0,
  onDone: (result) => console.log('done', result),
};

/** Plain data: arrives the same on every channel. */
export const queue = { name: 'invoices', priority: 2, tags: ['billing', 'email'] };
