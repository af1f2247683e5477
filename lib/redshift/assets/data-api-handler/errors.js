'use strict';
/** An error whose message is written by this handler (or is a Redshift error text), safe for CloudFormation and logs. */
class SafeError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.name = 'SafeError';
    Object.assign(this, details);
  }
}

module.exports = { SafeError };
