const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);

async function createExpress(email) {
  return stripe.accounts.create({ type: 'express', country: 'US', email }); // expect: creation express
}

async function createCustom() {
  return stripe.accounts.create({
    type: "custom", // expect: creation custom
    country: 'US',
    capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
  });
}

const accountParams = { type: accountKind, country: 'US', business_type: 'individual' }; // expect: creation standard,express,custom

function dashboardUrl(account) {
  if (account.type === 'express') { // expect: condition express
    return stripe.accounts.createLoginLink(account.id);
  }
  if ('custom' !== account.type) { // expect: condition custom
    return null;
  }
  if (['express', 'custom'].includes(account.type)) { // expect: condition express,custom
    return chargeApplicationFee(account);
  }
}

function onboarding(connectedAccount) {
  switch (connectedAccount.type) {
    case 'custom': // expect: condition custom
      return createAccountLink(connectedAccount, 'account_onboarding');
    case 'standard': // expect: condition standard
      return null;
  }
}

async function createFromObject() {
  const p = { country: 'US' };
  p.type = 'express'; // expect: creation express
  return stripe.accounts.create(p);
}

// A fake account in a test: its type is data.
const fakeAccount = { id: 'acct_test' };
fakeAccount.type = 'express'; // expect: data express
